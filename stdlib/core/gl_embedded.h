/* gl_embedded.h: the stdlib Lua sources compiled into the binary (see cmake/embed.cmake). */
#ifndef GL_EMBEDDED_H
#define GL_EMBEDDED_H
#include <stddef.h>

typedef struct gl_embedded_file {
  const char *name;   /* file name without .lua, e.g. "frame" */
  const char *source;
  size_t len;
} gl_embedded_file;

extern const gl_embedded_file gl_embedded[];  /* ends with a NULL name */

#endif
