/* fuzz_png.c: libFuzzer target over the PNG reader (kernels/plot/plot_png.c):
 * the input is a file for gl_plot_png_read (RGBA bytes, what the plot tests
 * compare) and gl_plot_png_read_float (plt.imread's float32 channels). */
#include <stdint.h>
#include <stdlib.h>
#include "plot.h"
#include "fuzz_tmpfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  const char *path = fuzz_write_tmp(".png", data, size);
  if (!path) return 0;
  int64_t w, h;
  int nch;
  unsigned char *rgba = NULL;
  float *f = NULL;
  if (gl_plot_png_read(path, &w, &h, &rgba) == 0) {
    volatile unsigned s = 0;   /* touch the last pixel: the buffer has w*h*4 bytes */
    if (w > 0 && h > 0) s += rgba[(size_t)w * (size_t)h * 4 - 1];
    free(rgba);
  }
  if (gl_plot_png_read_float(path, &w, &h, &nch, &f) == 0) {
    volatile float s = 0;
    if (w > 0 && h > 0) s += f[(size_t)w * (size_t)h * (size_t)nch - 1];
    free(f);
  }
  return 0;
}
