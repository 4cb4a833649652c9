/* special.h: the special functions behind stats' distributions (scipy.special
 * names): the normal CDF and its inverse, the regularized incomplete beta
 * function, Student's t CDF. Pure C, no Lua. */
#ifndef GL_SPECIAL_H
#define GL_SPECIAL_H

double gl_ndtr(double x);                      /* P(Z <= x), Z standard normal */
double gl_ndtri(double p);                     /* x with gl_ndtr(x) = p */
double gl_betainc(double a, double b, double x); /* I_x(a, b), regularized */
double gl_gammaln(double x);                   /* log|Gamma(x)| */
double gl_stdtr(double df, double t);          /* P(T <= t), T Student's t with df */

#endif
