/* test_plot_sixel.c: sixel encoding of a tiny image. */
#include <stdlib.h>
#include <string.h>
#include "plot.h"
#include "testhelp.h"

int main (void) {
  /* 3 x 2: red, red, white / red, red, transparent (-> white) */
  unsigned char px[24] = {255, 0, 0, 255, 255, 0, 0, 255, 255, 255, 255, 255,
                          255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 0, 0};
  char *s;
  size_t n;
  CHECK(gl_plot_sixel_encode(3, 2, px, &s, &n) == GL_OK);
  CHECK(n == strlen(s));
  CHECK(strncmp(s, "\033Pq\"1;1;3;2", 11) == 0);
  CHECK(strcmp(s + n - 2, "\033\\") == 0);
  /* red is register (5*7+0)*6+0 = 210; columns 0-1 have rows 0 and 1 set: 63+3 = 'B' */
  CHECK(strstr(s, "#210BB?") != NULL);
  /* white is register 251: only column 2 */
  CHECK(strstr(s, "#251??B") != NULL);
  free(s);
  CHECK(gl_plot_sixel_encode(0, 2, px, &s, &n) == GL_EINVAL);
  return TEST_REPORT();
}
