# bench/env.py: a helper of bench/run.sh (not a case): prints "key value"
# lines describing the Python side in the environment run.sh set up: library
# versions, the OpenBLAS core type and build OpenBLAS chose (the library that
# geolab links too), and the thread counts PyTorch starts with.
import ctypes
import importlib
import os
import sys

print("python %s" % sys.version.split()[0])
for mod in ("numpy", "scipy", "pandas", "sklearn", "matplotlib", "torch"):
    try:
        print("%s %s" % (mod, importlib.import_module(mod).__version__))
    except ImportError:
        print("%s missing" % mod)
try:
    blas = ctypes.CDLL("libopenblas.so.0")
    blas.openblas_get_corename.restype = ctypes.c_char_p
    blas.openblas_get_config.restype = ctypes.c_char_p
    print("openblas_core %s" % blas.openblas_get_corename().decode())
    print("openblas_config %s" % blas.openblas_get_config().decode())
except OSError as e:
    print("openblas_core unknown (%s)" % e)
for k in ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS"):
    print("env_%s %s" % (k, os.environ.get(k, "unset")))
try:
    import torch
    print("torch_threads_default %d (the nn cases set 2: torch.set_num_threads)" % torch.get_num_threads())
except ImportError:
    pass
