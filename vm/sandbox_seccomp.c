/* sandbox_seccomp.c: the seccomp filter of the grading child (libseccomp).
 * Applied after start-up, once geolab's libraries are loaded: from then on
 * the process cannot open network sockets, start programs, or create new
 * processes. Threads stay allowed (OpenMP): clone is refused unless it asks
 * for CLONE_THREAD, and clone3, whose flags sit in memory a filter cannot
 * read, fails with ENOSYS so that glibc falls back to clone. Refused calls
 * fail with EPERM rather than killing the process: the script gets an error
 * and the grader goes on; TSYNC puts every existing thread under the filter. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"

#ifdef GEOLAB_HAVE_SECCOMP
#include <seccomp.h>

int vm_seccomp_apply (char *status, size_t n) {
  static const int denied[] = {
    SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(listen),
    SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork),
    SCMP_SYS(vfork), SCMP_SYS(ptrace), SCMP_SYS(process_vm_writev), SCMP_SYS(process_vm_readv),
    SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(mount), SCMP_SYS(kexec_load), SCMP_SYS(init_module)};
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  int rc = ctx == NULL ? -ENOMEM : 0;
  for (size_t i = 0; rc == 0 && i < sizeof denied / sizeof denied[0]; i++)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
  /* clone without CLONE_THREAD is a new process */
  if (rc == 0)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                          SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
  if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (rc == 0) rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
  if (rc == 0) rc = seccomp_load(ctx);
  if (ctx != NULL) seccomp_release(ctx);
  if (rc != 0) {
    snprintf(status, n, "unavailable (%s)", strerror(-rc));
    return 0;
  }
  /* the filter proves itself: a socket must now be refused */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0 || errno != EPERM) {
    if (fd >= 0) close(fd);
    snprintf(status, n, "unavailable (loaded, but socket() was not refused)");
    return 0;
  }
  snprintf(status, n, "active (no sockets, exec, fork or new processes)");
  return 1;
}
#else
int vm_seccomp_apply (char *status, size_t n) {
  snprintf(status, n, "unavailable (geolab built without libseccomp)");
  return 0;
}
#endif
