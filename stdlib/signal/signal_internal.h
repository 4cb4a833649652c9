/* signal_internal.h: shared declarations of the signal module's C parts. */
#ifndef SIGNAL_INTERNAL_H
#define SIGNAL_INTERNAL_H
#include <lua.h>

/* signal_spectral.c: adds the FFT-based functions to the table on top. */
void gl_signal_open_spectral(lua_State *L);
/* signal_conv.c: convolution, medfilt, STA/LTA. */
void gl_signal_open_conv(lua_State *L);
/* signal_peaks.c: find_peaks loops. */
void gl_signal_open_peaks(lua_State *L);

#endif
