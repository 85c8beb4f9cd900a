/*
 * submit-driver: runs a command N times, each with a file on standard
 * input, and reports each run's wall time and peak memory (wait4's
 * ru_maxrss) — one "microseconds kilobytes exitstatus" line per run.
 * Built statically by bench/submit.sh so the same program measures
 * sendmail 8.17.1 inside the oracle root and sdmail in its sandbox.
 *
 *   submit-driver [-u UID:GID] RUNS INPUT -- COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	int uid = -1, gid = -1, argi = 1;

	if (argc > 2 && strcmp(argv[1], "-u") == 0) {
		if (sscanf(argv[2], "%d:%d", &uid, &gid) != 2)
			return 2;
		argi = 3;
	}
	if (argc - argi < 4 || strcmp(argv[argi + 2], "--") != 0) {
		fprintf(stderr, "usage: submit-driver [-u UID:GID] RUNS INPUT -- COMMAND...\n");
		return 2;
	}
	int runs = atoi(argv[argi]);
	const char *input = argv[argi + 1];
	char **cmd = argv + argi + 3;

	if (uid >= 0 && (setgroups(0, NULL) != 0 || setgid((gid_t)gid) != 0 ||
			 setuid((uid_t)uid) != 0)) {
		perror("submit-driver: dropping to the given user");
		return 1;
	}
	for (int i = 0; i < runs; i++) {
		struct rusage ru;
		int status;
		long long start = now_us();
		pid_t pid = fork();
		if (pid == 0) {
			int fd = open(input, O_RDONLY);
			int null = open("/dev/null", O_WRONLY);
			if (fd < 0 || null < 0)
				_exit(127);
			dup2(fd, 0);
			dup2(null, 1);
			execv(cmd[0], cmd);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
			perror("submit-driver");
			return 1;
		}
		printf("%lld %ld %d\n", now_us() - start, ru.ru_maxrss,
		       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	return 0;
}
