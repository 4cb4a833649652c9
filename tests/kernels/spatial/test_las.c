/* test_las.c: LAS write -> parse round trips (formats 0-3, 6-8), header
 * checks on damaged buffers. */
#include <string.h>
#include "testhelp.h"
#include "las.h"

int main (void) {
  double x[3] = {1.5, -2.25, 1000.125}, y[3] = {0, 1, 2}, z[3] = {-1, 0, 1}, gps[3] = {1e5, 1e5 + 0.5, 1e5 + 1};
  uint16_t inten[3] = {0, 1000, 65535}, red[3] = {1, 2, 3}, nir[3] = {7, 8, 9};
  uint8_t cls[3] = {2, 3, 31}, rn[3] = {1, 2, 1}, nr[3] = {2, 2, 1};
  int formats[7] = {0, 1, 2, 3, 6, 7, 8};
  for (int fi = 0; fi < 7; fi++) {
    int f = formats[fi];
    gl_las_header h; memset(&h, 0, sizeof h);
    h.version_major = 1; h.version_minor = f >= 6 ? 4 : 2; h.point_format = f;
    for (int k = 0; k < 3; k++) { h.scale[k] = 0.001; h.offset[k] = 0; }
    gl_las_points p; memset(&p, 0, sizeof p);
    p.x = x; p.y = y; p.z = z; p.gps_time = gps; p.intensity = inten; p.red = red; p.green = red; p.blue = red;
    p.nir = nir; p.classification = cls; p.return_number = rn; p.number_of_returns = nr;
    gl_bytes out = {0, 0, 0};
    gl_ioerr e; gl_ioerr_clear(&e);
    CHECK(gl_las_write(&h, 3, &p, &out, &e) == GL_OK);
    gl_las_header g;
    CHECK(gl_las_parse_header((unsigned char *)out.data, out.len, &g, &e) == GL_OK);
    CHECK(g.point_format == f && g.n_points == 3 && g.record_length == gl_las_base_length(f));
    CHECK(g.points_by_return[0] == 2 && g.points_by_return[1] == 1);
    CLOSE(g.min[0], -2.25, 0); CLOSE(g.max[0], 1000.125, 0);
    double rx[3], ry[3], rz[3], rg[3]; uint16_t ri[3], rr[3], rnir[3]; uint8_t rc[3], rrn[3];
    gl_las_points q; memset(&q, 0, sizeof q);
    q.x = rx; q.y = ry; q.z = rz; q.gps_time = rg; q.intensity = ri; q.red = rr; q.nir = rnir; q.classification = rc;
    q.return_number = rrn;
    CHECK(gl_las_read_points((unsigned char *)out.data, out.len, &g, 0, 3, &q, &e) == GL_OK);
    for (int i = 0; i < 3; i++) {
      CLOSE(rx[i], x[i], 1e-12); CLOSE(rz[i], z[i], 1e-12);
      CHECK(ri[i] == inten[i]); CHECK(rc[i] == cls[i]); CHECK(rrn[i] == rn[i]);
      if (gl_las_has_gps(f)) CLOSE(rg[i], gps[i], 0);
      if (gl_las_has_rgb(f)) CHECK(rr[i] == red[i]);
      if (gl_las_has_nir(f)) CHECK(rnir[i] == nir[i]);
    }
    /* damaged copies */
    CHECK(gl_las_parse_header((unsigned char *)out.data, 100, &g, &e) == GL_EFORMAT);
    CHECK(gl_las_parse_header((unsigned char *)out.data, out.len - 1, &g, &e) == GL_EFORMAT);
    out.data[104] = 12;
    CHECK(gl_las_parse_header((unsigned char *)out.data, out.len, &g, &e) == GL_EFORMAT);
    gl_bytes_free(&out);
  }
  /* class 32 does not fit formats 0-5 */
  gl_las_header h; memset(&h, 0, sizeof h);
  h.version_minor = 2; h.scale[0] = h.scale[1] = h.scale[2] = 1;
  uint8_t big[1] = {40};
  gl_las_points p; memset(&p, 0, sizeof p);
  p.x = x; p.y = y; p.z = z; p.classification = big;
  gl_bytes out = {0, 0, 0}; gl_ioerr e;
  CHECK(gl_las_write(&h, 1, &p, &out, &e) == GL_ERANGE);
  gl_bytes_free(&out);
  return TEST_REPORT();
}
