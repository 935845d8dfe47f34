/* cpg_pool: runs many items on up to N worker processes, one fork per item, so
 * that an item that crashes or hangs is that item's result and nothing else's.
 * A worker writes its one result line into a pipe (far below the pipe's
 * buffer), the parent hands the lines on in item order: the output does not
 * depend on the number of workers or on which one finished first.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign.h"

struct slot {
    pid_t pid; /* 0: free */
    int fd;
    uint64_t item;
};

struct done {
    char *text;
    int signal;
    bool ready;
};

static char *read_all(int fd)
{
    size_t cap = 256, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return NULL;
        if (len + 128 > cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

static pid_t start(uint64_t item, double hang_s, cpg_job_fn job, void *ctx, int *fd_out)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        if (hang_s > 0)
            alarm((unsigned)(hang_s + 0.5)); /* SIGALRM ends it: the item hung */
        FILE *out = fdopen(fds[1], "w");
        if (out) {
            job(ctx, item, out);
            fclose(out);
        }
        _exit(0);
    }
    close(fds[1]);
    *fd_out = fds[0];
    return pid;
}

int cpg_pool_run(uint64_t n, int jobs, double hang_s, cpg_job_fn job,
                 void (*result)(void *ctx, uint64_t item, const char *text, int signal),
                 void *ctx)
{
    if (jobs < 1)
        jobs = 1;
    struct slot *slots = calloc((size_t)jobs, sizeof *slots);
    struct done *done = calloc((size_t)n + 1, sizeof *done);
    if (!slots || !done) {
        free(slots);
        free(done);
        return -1;
    }
    uint64_t next = 0, emitted = 0;
    int running = 0, rc = 0;
    while (emitted < n) {
        while (running < jobs && next < n && rc == 0) {
            int k = 0;
            while (slots[k].pid)
                k++;
            slots[k].pid = start(next, hang_s, job, ctx, &slots[k].fd);
            if (slots[k].pid < 0) {
                slots[k].pid = 0;
                rc = -1;
                break;
            }
            slots[k].item = next++;
            running++;
        }
        if (running == 0)
            break;
        /* The pipe is read before the wait: the line is in it once the worker ends. */
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        for (int k = 0; k < jobs; k++) {
            if (slots[k].pid != pid)
                continue;
            struct done *d = &done[slots[k].item];
            d->text = read_all(slots[k].fd);
            close(slots[k].fd);
            d->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
            d->ready = true;
            slots[k].pid = 0;
            running--;
        }
        while (emitted < n && done[emitted].ready) {
            result(ctx, emitted, done[emitted].text ? done[emitted].text : "",
                   done[emitted].signal);
            free(done[emitted].text);
            done[emitted].text = NULL;
            emitted++;
        }
    }
    for (uint64_t i = 0; i < n; i++)
        free(done[i].text);
    free(done);
    free(slots);
    return rc == 0 && emitted == n ? 0 : -1;
}
