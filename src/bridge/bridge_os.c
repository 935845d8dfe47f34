/* bridge_os: the few system calls the bridges need, kept in one place:
 * non-blocking TCP listeners on a numeric address, accept, pseudo-terminals
 * in raw mode, and the wall clock.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */

#include "bridge_os.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

double bridge_os_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int set_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int bridge_os_listen(const char *addr, int port, int *actual_port, char *err, size_t err_len)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    int rc = getaddrinfo(addr, port_s, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, err_len, "cannot listen on '%s': not a numeric IPv4 or IPv6 address",
                 addr);
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 16) != 0 ||
        set_flags(fd) != 0) {
        snprintf(err, err_len, "cannot listen on %s port %d: %s", addr, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    *actual_port = port;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET)
            *actual_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            *actual_port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return fd;
}

int bridge_os_accept(int lfd, char *peer, size_t peer_len)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int fd = accept(lfd, (struct sockaddr *)&ss, &sl);
    if (fd < 0)
        return -1;
    if (set_flags(fd) != 0) {
        close(fd);
        return -1;
    }
    char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
    getnameinfo((struct sockaddr *)&ss, sl, host, sizeof host, serv, sizeof serv,
                NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(peer, peer_len, "%s:%s", host, serv);
    return fd;
}

int bridge_os_pty(int *slave_fd, char *path, size_t path_len, char *err, size_t err_len)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0 || set_flags(m) != 0) {
        snprintf(err, err_len, "cannot create a pseudo-terminal: %s", strerror(errno));
        if (m >= 0)
            close(m);
        return -1;
    }
    const char *name = ptsname(m);
    /* Hold a slave open ourselves: without one, the master reads EIO and the
     * tty forgets its settings whenever the client closes it. */
    int s = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    struct termios t;
    if (s < 0 || tcgetattr(s, &t) != 0) {
        snprintf(err, err_len, "cannot open the pseudo-terminal's slave: %s", strerror(errno));
        if (s >= 0)
            close(s);
        close(m);
        return -1;
    }
    cfmakeraw(&t); /* raw before any client opens it: no echo, no CR/LF mangling */
    cfsetispeed(&t, B115200);
    cfsetospeed(&t, B115200);
    tcsetattr(s, TCSANOW, &t);
    snprintf(path, path_len, "%s", name);
    *slave_fd = s;
    return m;
}

void bridge_os_flush_input(int tty_fd)
{
    tcflush(tty_fd, TCIFLUSH);
}
