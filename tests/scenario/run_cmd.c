/* run_cmd: runs a command and checks its exit status, stdout and stderr, for
 * the `gtxsim check` tests (malformed and valid scenario files).
 * usage: run_cmd [--rc N] [--stdout TEXT] [--stderr TEXT] [--stderr-prefix TEXT]
 *                [--stderr-line-expected] -- COMMAND ARGS...
 * TEXT may contain "\n". --stderr-line-expected: stderr is one line that goes
 * on after the prefix with " (expected ...)".
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s++;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static char *slurp(FILE *f)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    rewind(f);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    int want_rc = 0;
    const char *want_out = NULL, *want_err = NULL, *want_err_prefix = NULL;
    bool expected_tail = false;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--rc") == 0 && i + 1 < argc)
            want_rc = atoi(argv[++i]);
        else if (strcmp(argv[i], "--stdout") == 0 && i + 1 < argc)
            want_out = unescape(argv[++i]);
        else if (strcmp(argv[i], "--stderr") == 0 && i + 1 < argc)
            want_err = unescape(argv[++i]);
        else if (strcmp(argv[i], "--stderr-prefix") == 0 && i + 1 < argc)
            want_err_prefix = unescape(argv[++i]);
        else if (strcmp(argv[i], "--stderr-line-expected") == 0)
            expected_tail = true;
        else {
            fprintf(stderr, "run_cmd: bad argument '%s'\n", argv[i]);
            return 99;
        }
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "run_cmd: no command\n");
        return 99;
    }
    FILE *out = tmpfile(), *err = tmpfile();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        execv(argv[i + 1], argv + i + 1);
        perror("execv");
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    char *got_out = slurp(out), *got_err = slurp(err);
    int failures = 0;
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (rc != want_rc) {
        fprintf(stderr, "exit status %d, wanted %d\n", rc, want_rc);
        failures++;
    }
    if (want_out && strcmp(got_out, want_out) != 0) {
        fprintf(stderr, "stdout differs: wanted [%s]\n", want_out);
        failures++;
    }
    if (want_err && strcmp(got_err, want_err) != 0) {
        fprintf(stderr, "stderr differs: wanted [%s]\n", want_err);
        failures++;
    }
    if (want_err_prefix && strncmp(got_err, want_err_prefix, strlen(want_err_prefix)) != 0) {
        fprintf(stderr, "stderr does not start with [%s]\n", want_err_prefix);
        failures++;
    }
    if (expected_tail) {
        const char *tail = got_err + (want_err_prefix ? strlen(want_err_prefix) : 0);
        size_t n = strlen(got_err);
        bool one_line = n > 0 && strchr(got_err, '\n') == got_err + n - 1;
        if (strncmp(tail, " (expected ", 11) != 0 || !one_line || n < 3 ||
            got_err[n - 2] != ')') {
            fprintf(stderr, "stderr is not one line 'PREFIX (expected ...)'\n");
            failures++;
        }
    }
    fprintf(stderr, "--- stdout:\n%s--- stderr:\n%s", got_out, got_err);
    free(got_out);
    free(got_err);
    free((char *)want_out);
    free((char *)want_err);
    free((char *)want_err_prefix);
    fclose(out);
    fclose(err);
    return failures ? 1 : 0;
}
