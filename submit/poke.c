/*
 * poke: waking the MSP queue runner (poke.h).
 */
#include "poke.h"

#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "version.h"

void poke_msp_runner(const char *qid)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(SDMAIL_POKE_SOCKET) >= sizeof(sa.sun_path))
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	memcpy(sa.sun_path, SDMAIL_POKE_SOCKET, strlen(SDMAIL_POKE_SOCKET) + 1);
	/* EAGAIN means the runner has pokes pending already: nothing lost */
	(void)sendto(fd, qid, strlen(qid), MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&sa,
	             sizeof(sa));
	close(fd);
}

static void drain(int fd)
{
	char buf[256];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

void poke_drain_activation(void)
{
	int n;

	if (getauxval(AT_SECURE))
		return;
	n = sd_listen_fds(1);
	for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + n; fd++)
		if (sd_is_socket_unix(fd, SOCK_DGRAM, -1, NULL, 0) > 0)
			drain(fd);
	unsetenv("LISTEN_FDNAMES");
}
