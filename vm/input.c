/* input.c: reading REPL lines. On a terminal, readline (line editing, history
 * in ~/.geolab_history, completion) driven through its callback interface, so
 * that a Ctrl-C at the prompt can drop the line from the main loop rather than
 * from inside a signal handler. Otherwise plain getline, with prompts (on
 * stderr) only when stdin is a terminal. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "host.h"

#define HISTORY_MAX 1000   /* lines kept in the history file */

/* readline is one per process and its callbacks take no user data. */
static int in_rl = 0;
static int in_prompt_plain = 0;   /* plain mode, stdin a terminal: prompts on stderr */
static char *in_histfile = NULL;
static char *in_got = NULL;
static int in_done = 0;

static void in_online (char *line) {
  in_got = line;
  in_done = 1;
  rl_callback_handler_remove();   /* also restores the terminal */
}

int vm_input_open (lua_State *L) {
  const char *home = getenv("HOME");
  in_rl = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  in_prompt_plain = !in_rl && isatty(STDIN_FILENO);
  vm_sigint_prompt();
  if (!in_rl) return 0;
  rl_readline_name = "geolab";
  rl_catch_signals = 0;   /* Ctrl-C is ours: see vm_input_read */
  vm_complete_init(L);
  using_history();
  if (home != NULL && *home != '\0') {
    size_t n = strlen(home) + sizeof "/.geolab_history";
    in_histfile = malloc(n);
    if (in_histfile != NULL) {
      snprintf(in_histfile, n, "%s/.geolab_history", home);
      read_history(in_histfile);   /* missing or unreadable: start empty */
    }
  }
  return 1;
}

static int in_plain (const char *prompt, char **line) {
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;
  if (in_prompt_plain) { fflush(stdout); fputs(prompt, stderr); }
  errno = 0;
  n = getline(&buf, &cap, stdin);
  if (n < 0) {
    free(buf);
    if (errno == EINTR && vm_prompt_interrupted()) {
      clearerr(stdin);
      if (in_prompt_plain) fputs("\n", stderr);
      return VM_LINE_INTR;
    }
    return VM_LINE_EOF;
  }
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
  *line = buf;
  return VM_LINE_OK;
}

/* Ctrl-C at the prompt: forget the line (and any half-typed key sequence). */
static int in_cancel (void) {
  rl_free_line_state();
  rl_callback_sigcleanup();
  fputs("^C", rl_outstream);
  rl_crlf();
  rl_callback_handler_remove();
  return VM_LINE_INTR;
}

int vm_input_read (const char *prompt, char **line) {
  sigset_t block, waitmask;
  int fd, r = VM_LINE_OK;
  *line = NULL;
  if (!in_rl) return in_plain(prompt, line);
  fd = fileno(rl_instream != NULL ? rl_instream : stdin);
  /* SIGINT stays blocked except inside pselect, so one that comes while
   * readline draws cannot be missed before the wait starts */
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  pthread_sigmask(SIG_BLOCK, &block, &waitmask);
  sigdelset(&waitmask, SIGINT);
  in_done = 0;
  in_got = NULL;
  vm_prompt_interrupted();   /* forget a Ctrl-C that came while code ran */
  rl_callback_handler_install(prompt, in_online);
  while (!in_done) {
    fd_set fds;
    int n;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    n = pselect(fd + 1, &fds, NULL, NULL, NULL, &waitmask);
    if (vm_prompt_interrupted()) { r = in_cancel(); break; }
    if (n < 0 && errno != EINTR) {
      rl_callback_handler_remove();
      r = VM_LINE_EOF;
      break;
    }
    if (n > 0) rl_callback_read_char();
  }
  pthread_sigmask(SIG_UNBLOCK, &block, NULL);
  if (r != VM_LINE_OK) return r;
  if (in_got == NULL) return VM_LINE_EOF;   /* Ctrl-D on an empty line */
  *line = in_got;
  return VM_LINE_OK;
}

void vm_input_history (const char *line) {
  HIST_ENTRY *last;
  if (!in_rl || line[strspn(line, " \t")] == '\0') return;
  last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (last != NULL && strcmp(last->line, line) == 0) return;   /* no repeats */
  add_history(line);
  /* append now, so the history survives a crash; append_history does not
   * create the file, write_history does; failures are ignored */
  if (in_histfile != NULL && append_history(1, in_histfile) != 0)
    write_history(in_histfile);
}

void vm_input_close (void) {
  if (in_rl) {
    fputs("\n", stdout);   /* leave the shell prompt on its own line */
    if (in_histfile != NULL) history_truncate_file(in_histfile, HISTORY_MAX);
  }
  free(in_histfile);
  in_histfile = NULL;
}
