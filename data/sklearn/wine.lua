-- wine: metadata of sklearn.datasets.load_wine (scikit-learn 1.2.1), from
-- export_sklearn.py; the arrays are in wine.npz, DESCR in wine.rst.
return {
  feature_names = {"alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines", "proline"},
  target_names = {"class_0", "class_1", "class_2"}
}
