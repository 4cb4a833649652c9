/* sandbox_landlock.c: Landlock file rules for the grading child, through raw
 * syscalls (<linux/landlock.h>; glibc has no wrappers). Reads are allowed
 * under the given folders plus the system folders geolab needs after
 * start-up (fonts and their configuration, CPU topology for OpenMP), writes
 * only under the output folder. A kernel without Landlock (or with it
 * disabled) is not an error: the status says "unavailable" and the other
 * layers still hold. Landlock restricts the calling thread and the threads it
 * creates afterwards, so the child applies it before any worker thread runs
 * geolab code; threads OpenBLAS started at load time only run BLAS loops. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_FILE_WRITE (LANDLOCK_ACCESS_FS_WRITE_FILE)

/* Read-only system folders needed after start-up; a missing one is skipped. */
static const char *const ll_system[] = {
  "/usr", "/etc/fonts", "/var/cache/fontconfig", "/proc/self", "/sys/devices/system/cpu",
  "/dev/null", "/dev/urandom", NULL};

static int add_rule (int ruleset, const char *path, __u64 access, __u64 handled) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return 0;   /* nothing there to allow */
  /* a file (not a folder) may only be given file rights */
  struct landlock_path_beneath_attr pb = {.allowed_access = access & handled, .parent_fd = fd};
  int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
  if (rc != 0 && errno == EINVAL) {   /* a file: keep the file rights only */
    pb.allowed_access &= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
    rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
  }
  close(fd);
  return rc;
}

int vm_landlock_apply (const char *const *read, const char *const *write, char *status, size_t n) {
  int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) {
    snprintf(status, n, "unavailable (%s)", strerror(errno));
    return 0;
  }
  __u64 handled = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
                  LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                  LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                  LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                  LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2) handled |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
  struct landlock_ruleset_attr ra = {.handled_access_fs = handled};
  int rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof ra, 0);
  if (rs < 0) {
    snprintf(status, n, "unavailable (%s)", strerror(errno));
    return 0;
  }
  int bad = 0;
  for (int i = 0; ll_system[i]; i++) bad |= add_rule(rs, ll_system[i], LL_READ, handled);
  for (int i = 0; read[i]; i++) bad |= add_rule(rs, read[i], LL_READ, handled);
  __u64 w = handled & ~LANDLOCK_ACCESS_FS_EXECUTE & ~(__u64)LANDLOCK_ACCESS_FS_MAKE_CHAR &
            ~(__u64)LANDLOCK_ACCESS_FS_MAKE_BLOCK & ~(__u64)LANDLOCK_ACCESS_FS_MAKE_SOCK &
            ~(__u64)LANDLOCK_ACCESS_FS_MAKE_FIFO;
  for (int i = 0; write[i]; i++) bad |= add_rule(rs, write[i], w, handled);
  if (bad || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_landlock_restrict_self, rs, 0) != 0) {
    snprintf(status, n, "unavailable (cannot restrict: %s)", strerror(errno));
    close(rs);
    return 0;
  }
  close(rs);
  snprintf(status, n, "active (ABI %d)", abi);
  return 1;
}
