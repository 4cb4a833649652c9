/* gl_path.h: the one check every geolab reader and writer makes before it
 * opens, lists or creates a path. Normally no check is installed and every
 * path is allowed; the grading sandbox (vm/sandbox_paths.c) installs one in
 * its child process, so that np.save, savefig, read_csv, fs.listdir... all
 * obey the same rule without being wrapped one by one. */
#ifndef GL_PATH_H
#define GL_PATH_H

enum { GL_PATH_READ = 0, GL_PATH_WRITE = 1 };

/* A check returns NULL when path may be opened for mode, else a message
 * (static storage) saying why not. */
typedef const char *(*gl_path_check_fn) (const char *path, int mode);

/* Installs fn (NULL removes it). Process-wide on purpose: the sandbox is a
 * property of the grading child process, not of one Lua state. */
void gl_path_set_check (gl_path_check_fn fn);

/* NULL when path may be opened for mode, else why not. */
const char *gl_path_denied (const char *path, int mode);

#endif
