/* cmd_signal: SIGINT and SIGTERM stop the long commands (run, gui, bench,
 * cell) cleanly: the handler only records the signal in one flag, which the
 * loops poll through their options; the command then writes what it has and
 * exits 128 + the signal's number (130, 143) as a shell would report it. */
#ifndef GTX_CMD_SIGNAL_H
#define GTX_CMD_SIGNAL_H

#include <signal.h>
#include <stdatomic.h>

/* Installs the handler for SIGINT and SIGTERM (a second signal of the same
 * kind kills at once) and returns the flag: 0, or the signal received. */
const atomic_int *cmd_stop_signals(void);

/* The exit status for a stop by signal sig: 128 + sig. */
int cmd_stop_status(int sig);

/* "SIGINT", "SIGTERM" (or "signal N"), for messages. */
const char *cmd_stop_name(int sig);

#endif
