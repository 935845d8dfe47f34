/* cmd_signal: the stop flag that SIGINT/SIGTERM set (see cmd_signal.h). */
#include "cmd_signal.h"

#include <string.h>

/* The one piece of static state the program has: a handler cannot be handed a
 * context, so it writes here and nothing else does. A lock-free atomic, not a
 * volatile sig_atomic_t: a handler may write it (C11 7.14.1.1), and so may the
 * threads of gtxsim bench read it, whichever thread the handler ran on. */
static atomic_int stop_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be lock-free to be set by a handler");

static void on_stop(int sig)
{
    atomic_store(&stop_signal, sig);
}

const atomic_int *cmd_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    /* SA_RESTART: file writes are not cut short; sleeps and polls still wake.
     * SA_RESETHAND: a second Ctrl-C is the default action, for a stuck run. */
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return &stop_signal;
}

int cmd_stop_status(int sig)
{
    return 128 + sig;
}

const char *cmd_stop_name(int sig)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
    }
}
