/* replayer.c: see replayer.h. Thread use: the list under one mutex. */
#include "rkv_config.h"
#include <signal.h>
#include <stddef.h>
#include "replayer.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static rkv_replayer_t *head;

void
rkv_replayer_register(rkv_replayer_t *r, void *(*fn)(void *arg), void *arg)
{
	r->fn = fn;
	r->arg = arg;
	r->started = 0;
	pthread_mutex_lock(&lock);
	r->next = head;
	head = r;
	pthread_mutex_unlock(&lock);
}

int
rkv_replayer_start_all(void)
{
	sigset_t all, old;
	rkv_replayer_t *r;
	int n = 0;

	sigfillset(&all);	/* signals stay with rsyslog's main thread */
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_mutex_lock(&lock);
	for (r = head; r != NULL; r = r->next) {
		if (r->started)
			continue;
		r->started = pthread_create(&r->tid, NULL, r->fn, r->arg) == 0;
		n += r->started;
	}
	pthread_mutex_unlock(&lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return n;
}

void
rkv_replayer_finish(rkv_replayer_t *r)
{
	rkv_replayer_t **pp;

	if (r->fn == NULL)
		return;	/* never registered */
	if (r->started)
		pthread_join(r->tid, NULL);
	r->started = 0;
	pthread_mutex_lock(&lock);
	for (pp = &head; *pp != NULL; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	pthread_mutex_unlock(&lock);
}
