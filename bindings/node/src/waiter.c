/*
 * A lock and a condition with a timed wait (waiter in addon.h): Windows'
 * SRW lock and condition variable there, pthreads elsewhere, so the addon
 * built for win32 imports nothing beyond KERNEL32 and msvcrt (no winpthreads).
 */
#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <pthread.h>
#include <time.h>
#endif

#include "addon.h"

#ifdef _WIN32
struct waiter {
	SRWLOCK lock;
	CONDITION_VARIABLE cv;
};

waiter *waiter_new(void) {
	waiter *w = malloc(sizeof *w);
	if (w != NULL) {
		InitializeSRWLock(&w->lock);
		InitializeConditionVariable(&w->cv);
	}
	return w;
}

/* SRW locks and condition variables hold no resources. */
void waiter_free(waiter *w) { free(w); }
void waiter_lock(waiter *w) { AcquireSRWLockExclusive(&w->lock); }
void waiter_unlock(waiter *w) { ReleaseSRWLockExclusive(&w->lock); }
void waiter_signal(waiter *w) { WakeConditionVariable(&w->cv); }
uint64_t waiter_deadline(uint32_t ms) { return GetTickCount64() + ms; }

bool waiter_wait(waiter *w, uint64_t deadline) {
	uint64_t now = GetTickCount64();
	return now < deadline && SleepConditionVariableSRW(&w->cv, &w->lock, (DWORD)(deadline - now), 0);
}
#else
struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

waiter *waiter_new(void) {
	waiter *w = malloc(sizeof *w);
	if (w != NULL) {
		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->cv, NULL);
	}
	return w;
}

void waiter_free(waiter *w) {
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

void waiter_lock(waiter *w) { pthread_mutex_lock(&w->mu); }
void waiter_unlock(waiter *w) { pthread_mutex_unlock(&w->mu); }
void waiter_signal(waiter *w) { pthread_cond_signal(&w->cv); }

/* In milliseconds of CLOCK_REALTIME, the clock of pthread_cond_timedwait. */
uint64_t waiter_deadline(uint32_t ms) {
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000 + ms;
}

bool waiter_wait(waiter *w, uint64_t deadline) {
	struct timespec until = {.tv_sec = (time_t)(deadline / 1000), .tv_nsec = (long)(deadline % 1000) * 1000000};
	return pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0;
}
#endif
