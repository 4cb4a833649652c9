-- breast_cancer: metadata of sklearn.datasets.load_breast_cancer (scikit-learn 1.2.1), from
-- export_sklearn.py; the arrays are in breast_cancer.npz, DESCR in breast_cancer.rst.
return {
  feature_names = {"mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness", "mean compactness", "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension", "radius error", "texture error", "perimeter error", "area error", "smoothness error", "compactness error", "concavity error", "concave points error", "symmetry error", "fractal dimension error", "worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness", "worst compactness", "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension"},
  target_names = {"malignant", "benign"},
  filename = "breast_cancer.csv"
}
