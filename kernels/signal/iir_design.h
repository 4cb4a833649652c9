/* iir_design.h: IIR filter design as scipy.signal does it (butter, cheby1,
 * cheby2, bessel through iirfilter): analog prototype, frequency transform, bilinear
 * transform, and the zpk -> ba / sos conversions. Pure C, no Lua. */
#ifndef GL_IIR_DESIGN_H
#define GL_IIR_DESIGN_H
#include <stdint.h>
#include "gl_complex.h"

enum { GL_IIR_BUTTER = 0, GL_IIR_CHEBY1, GL_IIR_BESSEL, GL_IIR_CHEBY2 };
enum { GL_BT_LOWPASS = 0, GL_BT_HIGHPASS, GL_BT_BANDPASS, GL_BT_BANDSTOP };
enum { GL_BESSEL_PHASE = 0, GL_BESSEL_DELAY, GL_BESSEL_MAG };

/* Digital filter of order `order` (>= 0), critical frequencies wn[0] (and
 * wn[1] for band filters) as fractions of Nyquist, 0 < wn < 1 (checked by the
 * caller). rp: Chebyshev I passband ripple, or Chebyshev II stopband
 * attenuation, in dB; norm: Bessel normalisation.
 * z and p must hold 2 * order + 2 values each; *nz, *np receive the counts.
 * Returns 0, or GL_ESINGULAR when the Bessel root finder fails. */
int gl_iir_zpk(int ftype, int btype, int order, double rp, int norm, const double *wn,
               double complex *z, int64_t *nz, double complex *p, int64_t *np, double *k);

/* Polynomial coefficients (highest power first) of k * prod(x - r[i]): n + 1
 * values into c (numpy.poly then times k; real part, as for conjugate roots). */
void gl_iir_poly(int64_t n, const double complex *r, double k, double *c);

/* scipy's zpk2sos with pairing 'nearest' (digital): sections into sos, a
 * row-major (nsec, 6) array, nsec = (max(nz, np) + 1) / 2 (1 when both are 0).
 * z and p are used as scratch (their contents are destroyed). Returns 0, or
 * GL_EINVAL when a complex value has no conjugate. */
int gl_iir_zpk2sos(int64_t nz, double complex *z, int64_t np, double complex *p, double k,
                   int64_t nsec, double *sos);
int64_t gl_iir_nsections(int64_t nz, int64_t np);

#endif
