/* filter.h: linear filtering as scipy.signal does it: lfilter (direct form II
 * transposed), sosfilt (cascaded second-order sections), their steady-state
 * initial conditions (lfilter_zi, sosfilt_zi) and forward-backward filtering
 * with scipy's edge padding (filtfilt, sosfiltfilt, method 'pad').
 * Signals are rows of a C-contiguous (rows, n) float64 array. */
#ifndef GL_SIGNAL_FILTER_H
#define GL_SIGNAL_FILTER_H
#include <stdint.h>

enum { GL_PAD_NONE = 0, GL_PAD_ODD, GL_PAD_EVEN, GL_PAD_CONSTANT };

/* y = lfilter(b, a, x) on each of `rows` rows of length n. b and a hold nc
 * coefficients each (the shorter one padded with zeros), a[0] != 0. z is the
 * state, (rows, nc - 1), read as zi and left as zf. x and y may be the same. */
int gl_sig_lfilter_f64(int64_t rows, int64_t n, const double *x, double *y,
                       int64_t nc, const double *b, const double *a, double *z);

/* y = sosfilt(sos, x): sos is (nsec, 6) with sos[s][3] == 1; z is the state,
 * (rows, nsec, 2), read as zi and left as zf. x and y may be the same. */
int gl_sig_sosfilt_f64(int64_t rows, int64_t n, const double *x, double *y,
                       int64_t nsec, const double *sos, double *z);

/* lfilter_zi(b, a) (nc coefficients each, a[0] != 0): nc - 1 values into zi.
 * Returns GL_ESINGULAR when the steady state does not exist. */
int gl_sig_lfilter_zi_f64(int64_t nc, const double *b, const double *a, double *zi);
/* sosfilt_zi(sos): (nsec, 2) into zi. */
int gl_sig_sosfilt_zi_f64(int64_t nsec, const double *sos, double *zi);

/* filtfilt / sosfiltfilt: y (rows, n) from x (rows, n), with `edge` samples
 * of padding of kind pad at each end (edge < n, checked by the caller).
 * For sos, nsec > 0 and b, a, nc are unused; otherwise sos is NULL. */
int gl_sig_filtfilt_f64(int64_t rows, int64_t n, const double *x, double *y,
                        int pad, int64_t edge, int64_t nc, const double *b, const double *a,
                        int64_t nsec, const double *sos);

#endif
