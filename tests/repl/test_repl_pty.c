/* test_repl_pty.c: drives the geolab REPL through a pseudo-terminal, as a
 * student would type into it: values, multi-line input, errors, completion,
 * Ctrl-C (in a loop, in a continued chunk and at the prompt), history, Ctrl-D.
 * usage: test_repl_pty path/to/geolab */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t child = -1;
static int master = -1;
static char out[1 << 16];   /* everything the REPL wrote */
static size_t outlen = 0, mark = 0;   /* expect() searches from mark */
static int npass = 0, nfail = 0;

#define CHECK(cond, what) \
  ((cond) ? (void)npass++ : (void)(nfail++, \
   fprintf(stderr, "%s:%d: FAILED %s\n--- output since last match:\n%s\n---\n", \
           __FILE__, __LINE__, what, out + mark)))

static double now_ms (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_alarm (int sig) {
  (void)sig;
  if (child > 0) kill(child, SIGKILL);
  static const char msg[] = "test_repl_pty: timed out\n";
  if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) _exit(2);
  _exit(1);
}

/* Reads what the child wrote for up to ms milliseconds; 0 at end of output. */
static int pump (int ms) {
  struct pollfd p = { master, POLLIN, 0 };
  ssize_t n;
  if (poll(&p, 1, ms) <= 0) return 1;
  n = read(master, out + outlen, sizeof out - 1 - outlen);
  if (n <= 0) return 0;   /* EIO once the child has gone */
  for (ssize_t i = 0; i < n; i++) if (out[outlen + i] == '\0') out[outlen + i] = '?';
  outlen += (size_t)n;
  out[outlen] = '\0';
  return 1;
}

/* Waits up to ms for s to appear after mark; moves mark past it. */
static int expect (const char *s, int ms) {
  double end = now_ms() + ms;
  for (;;) {
    char *hit = strstr(out + mark, s);
    if (hit != NULL) { mark = (size_t)(hit - out) + strlen(s); return 1; }
    double left = end - now_ms();
    if (left <= 0 || !pump(left > 50 ? 50 : (int)left + 1)) {
      hit = strstr(out + mark, s);
      if (hit != NULL) { mark = (size_t)(hit - out) + strlen(s); return 1; }
      return 0;
    }
  }
}

static void type (const char *s) {
  size_t n = strlen(s);
  if (write(master, s, n) != (ssize_t)n) { perror("write"); exit(1); }
}

/* Types a line and checks that `want` follows it. */
static void line_gives (const char *line, const char *want, const char *what) {
  type(line);
  CHECK(expect(want, 3000), what);
  CHECK(expect("> ", 3000), "prompt after it");
}

static int file_has (const char *path, const char *s) {
  char buf[8192];
  FILE *f = fopen(path, "r");
  size_t n;
  if (f == NULL) return 0;
  n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return strstr(buf, s) != NULL;
}

int main (int argc, char **argv) {
  char home[] = "/tmp/geolab_pty_XXXXXX", hist[256];
  struct winsize ws = { 24, 100, 0, 0 };
  int status = -1;
  double t0, dt;
  if (argc != 2) { fprintf(stderr, "usage: %s geolab\n", argv[0]); return 2; }
  if (mkdtemp(home) == NULL) { perror("mkdtemp"); return 2; }
  snprintf(hist, sizeof hist, "%s/.geolab_history", home);
  signal(SIGALRM, on_alarm);
  alarm(60);   /* the whole test, whatever hangs */

  child = forkpty(&master, NULL, NULL, &ws);
  if (child < 0) { perror("forkpty"); return 2; }
  if (child == 0) {
    setenv("HOME", home, 1);
    setenv("TERM", "dumb", 1);   /* no escape sequences to match around */
    setenv("INPUTRC", "/dev/null", 1);   /* no user key bindings */
    execl(argv[1], "geolab", (char *)NULL);
    perror("exec");
    _exit(127);
  }

  CHECK(expect("geolab ", 5000), "banner");
  CHECK(expect("> ", 5000), "first prompt");

  /* an expression's value is printed; an assignment prints nothing */
  line_gives("6*7\n", "\r\n42\r\n", "expression value printed");
  type("x = 40 + 2\n");
  CHECK(expect("\n> ", 3000), "assignment gives a prompt");
  {   /* nil is not printed: only the echo, then the prompt */
    size_t from = mark;
    type("nil\n");
    CHECK(expect("> ", 3000), "prompt after nil");
    CHECK(strncmp(out + from, "nil\r\n> ", mark - from) == 0 && mark - from == 7,
          "nil result not printed");
  }

  /* multi-line input continues with ">> " */
  type("for i = 1, 2 do\n");
  CHECK(expect("\n>> ", 3000), "continuation prompt after 'for ... do'");
  type("print(i * 100)\n");
  CHECK(expect("\n>> ", 3000), "still continuing");
  line_gives("end\n", "100\r\n200\r\n", "multi-line loop ran");

  /* a runtime error prints a message and a traceback, the session goes on */
  line_gives("error('boom')\n", "stdin:1: boom", "error message");
  line_gives("local function f() return nil + 1 end; f()\n", "in function 'f'", "traceback names f");
  line_gives("x + 1\n", "\r\n43\r\n", "session alive after errors");

  /* tab completion */
  type("string.fo\t");
  CHECK(expect("string.format", 3000), "string.fo<TAB> completes to string.format");
  line_gives("('%03d', 7)\n", "\r\n007\r\n", "completed name runs");

  /* private fields are not offered: the only public field completes alone */
  line_gives("t = {_hidden = 1, shown = 2}\n", "shown = 2}", "table for completion");
  type("t.\t");
  CHECK(expect("t.shown", 3000), "t.<TAB> skips _hidden");
  line_gives("\n", "\r\n2\r\n", "completed field runs");

  /* column names inside df[" */
  line_gives("df = pd.DataFrame{alpha = {1, 2}, beta = {3, 4}}\n", "beta = {3, 4}}", "frame for completion");
  type("df[\"al\t");
  CHECK(expect("df[\"alpha", 3000), "df[\"al<TAB> completes the column name");
  line_gives("\"]:sum()\n", "\r\n3", "completed column runs");
  /* and after df. (attribute access, as pandas): beta is the only b... name */
  type("df.bet\t");
  CHECK(expect("df.beta", 3000), "df.bet<TAB> completes the column name");
  line_gives(":sum()\n", "\r\n7", "completed column runs");

  /* absolute paths outside strings */
  type("/usr/sh\t");
  CHECK(expect("/usr/share/", 3000), "/usr/sh<TAB> completes to /usr/share/");
  type("\x03");
  CHECK(expect("\n> ", 3000), "Ctrl-C clears the path");

  /* a method without its call parentheses says so at once */
  line_gives("df:groupby\n", "method call needs parentheses: df:groupby(...)", "missing parentheses");

  /* ?name prints the manual entry */
  line_gives("?np.linspace\n", "np.linspace  (docs/arrays.md", "?np.linspace gives help");

  /* Ctrl-C stops a Lua loop within 0.5 s and keeps the state */
  type("while true do end\n");
  CHECK(expect("while true do end\r\n", 3000), "loop started");
  pump(200);
  t0 = now_ms();
  type("\x03");
  CHECK(expect("interrupted!", 2000), "interrupted message");
  CHECK(expect("\n> ", 2000), "prompt after interrupt");
  dt = now_ms() - t0;
  if (dt >= 500) fprintf(stderr, "interrupt took %.0f ms\n", dt);
  CHECK(dt < 500, "interrupt within 0.5 s");
  line_gives("x\n", "\r\n42\r\n", "variable kept after Ctrl-C");

  /* Ctrl-C in a continued chunk drops it; at the prompt it clears the line */
  type("if x then\n");
  CHECK(expect("\n>> ", 3000), "continuation before Ctrl-C");
  type("\x03");
  CHECK(expect("\n> ", 3000), "Ctrl-C drops the unfinished chunk");
  type("abc");
  CHECK(expect("abc", 3000), "typed text shown");
  type("\x03");
  CHECK(expect("\n> ", 3000), "Ctrl-C at the prompt gives a new prompt");
  line_gives("1 + 1\n", "\r\n2\r\n", "the cleared text is gone");

  /* Ctrl-D exits with status 0 */
  type("\x04");
  for (t0 = now_ms(); now_ms() - t0 < 5000; ) {
    pid_t r = waitpid(child, &status, WNOHANG);
    if (r == child) break;
    pump(50);
  }
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "Ctrl-D exits with status 0");
  if (!WIFEXITED(status)) { kill(child, SIGKILL); waitpid(child, &status, 0); }

  /* the history went to $HOME/.geolab_history */
  CHECK(file_has(hist, "x = 40 + 2\n"), "history has 'x = 40 + 2'");
  CHECK(file_has(hist, "while true do end\n"), "history has the loop");
  CHECK(!file_has(hist, "abc"), "a cleared line is not in the history");

  unlink(hist);
  rmdir(home);
  printf("%d passed, %d failed\n", npass, nfail);
  return nfail == 0 ? 0 : 1;
}
