/* csv_text.c: what pd.read_csv does to the text before tokenizing: map the
 * file, drop the skiprows lines, find the first line. No Lua here. */
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "csv.h"
#include "gl_path.h"

int gl_csv_map (const char *path, size_t maxlen, char **map, size_t *len) {
  if (gl_path_denied(path, GL_PATH_READ) != NULL) return 0;   /* the reader's fallback says why */
  int fd = open(path, O_RDONLY), ok = 0;
  struct stat st;
  long page = sysconf(_SC_PAGESIZE);
  if (fd < 0) return 0;
  /* a size that is a whole number of pages leaves no NUL after the text */
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 2 && page > 0 &&
      (size_t)st.st_size <= maxlen && st.st_size % page != 0) {
    char *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      if (gl_is_gzip(m, (size_t)st.st_size)) munmap(m, (size_t)st.st_size);
      else { *map = m; *len = (size_t)st.st_size; ok = 1; }
    }
  }
  close(fd);
  return ok;
}

void gl_csv_unmap (char *map, size_t len) {
  if (map) munmap(map, len);
}

void gl_csv_release (const char *text, size_t len) {
  long page = sysconf(_SC_PAGESIZE);
  if (page <= 0 || len == 0) return;
  uintptr_t b = (uintptr_t)text, e = b + len, P = (uintptr_t)page;
  b = (b + P - 1) / P * P;
  e = e / P * P;
  if (e > b) madvise((void *)b, e - b, MADV_DONTNEED);
}

int64_t gl_csv_count_lines (const char *text, size_t len) {
  int64_t n = 1;
  for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))); p++) n++;
  return n;
}

size_t gl_csv_drop_lines (char *text, size_t len, const char *skip, int64_t nlines) {
  size_t w = 0, r = 0;
  int any = 0;
  for (int64_t k = 0; k < nlines && r < len; k++) {
    char *nl = memchr(text + r, '\n', len - r);
    size_t end = nl ? (size_t)(nl - text) : len;   /* line is [r, end) */
    if (skip[k]) any = 1;
    else { if (w != r) memmove(text + w, text + r, end - r); w += end - r; }
    if (nl) text[w++] = '\n';
    r = end + (nl ? 1 : 0);
  }
  if (!any) return len;
  text[w] = 0;
  return w;
}

int64_t gl_csv_skip_lines (char **text, size_t *len, int64_t n) {
  int64_t done = 0;
  while (done < n && *len > 0) {
    char *nl = memchr(*text, '\n', *len);
    size_t adv = nl ? (size_t)(nl - *text) + 1 : *len;
    *text += adv; *len -= adv; done++;
  }
  return done;
}

int gl_csv_first_line (const char *text, size_t len, const gl_csv_opts *o, size_t *start,
                       size_t *end, int64_t *line) {
  size_t h = 0, e;
  for (;;) {
    size_t j = h;
    while (j < len && (text[j] == ' ' || text[j] == '\t') && text[j] != o->sep) j++;
    if (j < len && (text[j] == '\n' || text[j] == '\r' || (o->comment && text[j] == o->comment))) {
      while (j < len && text[j] != '\n') j++;
      h = j + 1;
      (*line)++;
      continue;
    }
    break;
  }
  if (h >= len) return 0;
  for (e = h; e < len && text[e] != '\n'; e++) {}
  *start = h; *end = e;
  return 1;
}
