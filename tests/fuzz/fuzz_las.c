/* fuzz_las.c: libFuzzer target over the LAS reader (kernels/spatial/las.c),
 * walking a file as spatial.read_las does: header, VLRs (which must end
 * before the points), EVLRs (which must start after them), then every point
 * into every column the format has, plus a window that runs past the end
 * (the kernel must refuse it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "las.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  /* an exact-size copy: reads past the end are caught by ASan */
  unsigned char *b = malloc(size ? size : 1);
  if (!b) return 0;
  memcpy(b, data, size);
  gl_las_header h;
  gl_ioerr e;
  gl_ioerr_clear(&e);
  if (gl_las_parse_header(b, size, &h, &e)) goto done;
  uint64_t off = h.header_size;
  for (uint32_t i = 0; i < h.n_vlrs; i++) {
    gl_las_vlr v;
    if (gl_las_vlr_at(b, size, off, 0, &v, &e)) break;
    if (v.data_offset + v.data_length > h.offset_to_points) break;
    volatile unsigned char s = v.data_length ? b[v.data_offset + v.data_length - 1] : 0;
    (void)s;
    off = v.data_offset + v.data_length;
  }
  off = h.start_evlr;
  for (uint32_t i = 0; h.n_evlrs && off <= size && i < h.n_evlrs; i++) {
    gl_las_vlr v;
    if (gl_las_vlr_at(b, size, off, 1, &v, &e)) break;
    off = v.data_offset + v.data_length;
  }
  int64_t n = (int64_t)h.n_points;   /* parse_header checked that they lie inside the file */
  size_t m = (size_t)(n ? n : 1);
  double *d = malloc(m * 5 * sizeof *d);
  uint16_t *u = malloc(m * 6 * sizeof *u);
  uint8_t *c = malloc(m * 11);
  int32_t *r = malloc(m * 3 * sizeof *r);
  if (d && u && c && r) {
    int f = h.point_format;
    gl_las_points p = {
      .x = d, .y = d + n, .z = d + 2 * n, .scan_angle = d + 4 * n,
      .gps_time = gl_las_has_gps(f) ? d + 3 * n : NULL,
      .intensity = u, .point_source_id = u + n,
      .red = gl_las_has_rgb(f) ? u + 2 * n : NULL, .green = gl_las_has_rgb(f) ? u + 3 * n : NULL,
      .blue = gl_las_has_rgb(f) ? u + 4 * n : NULL, .nir = gl_las_has_nir(f) ? u + 5 * n : NULL,
      .return_number = c, .number_of_returns = c + n, .classification = c + 2 * n, .user_data = c + 3 * n,
      .synthetic = c + 4 * n, .key_point = c + 5 * n, .withheld = c + 6 * n,
      .overlap = f >= 6 ? c + 7 * n : NULL, .scanner_channel = f >= 6 ? c + 8 * n : NULL,
      .scan_direction = c + 9 * n, .edge_of_flight_line = c + 10 * n,
      .X = r, .Y = r + n, .Z = r + 2 * n};
    gl_las_read_points(b, size, &h, 0, n, &p, &e);
    if (n > 0 && gl_las_read_points(b, size, &h, n / 2 + 1, n, &p, &e) == 0) abort();   /* past the end */
  }
  free(d); free(u); free(c); free(r);
done:
  free(b);
  return 0;
}
