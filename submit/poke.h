/*
 * poke: waking the MSP queue runner.  When a submission leaves a message
 * in the client queue (the MTA did not take it, or DeliveryMode queues),
 * the sendmail command sends one datagram to sm-client.socket, an
 * AF_UNIX datagram socket systemd listens on (SDMAIL_POKE_SOCKET); systemd
 * then starts sm-client.service, a single client-queue run.  Sending
 * never blocks and never fails a submission: no socket, a full socket
 * (a run is already due) or any other error is ignored, and the timer
 * (sm-client.timer) runs the queue anyway.  The runner empties the
 * socket when it starts, before anything else, so that systemd does not
 * start it again for pokes it has served; pokes that arrive during the
 * run start one more run afterwards.  The datagram holds the queue ID,
 * for whoever watches the socket; the runner does not read it.
 */
#ifndef SDMAIL_SUBMIT_POKE_H
#define SDMAIL_SUBMIT_POKE_H

/* Tell the MSP queue runner that `qid` waits in the client queue. */
void poke_msp_runner(const char *qid);

/*
 * Empty the datagram sockets systemd passed to this process (LISTEN_FDS
 * for this pid) and forget them.  Does nothing in a setgid run, which
 * trusts no descriptor and no variable from its caller.  Call before
 * privs_init(), which closes every inherited descriptor above 2.
 */
void poke_drain_activation(void);

#endif
