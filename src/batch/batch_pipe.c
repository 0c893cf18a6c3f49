/*
 * batch_pipe.c: a two-stage pipeline (see matterfab/batch.h). The caller
 * fills slots of a fixed ring in order; one thread consumes them in the
 * same order. Slot life: FREE -> (caller) FULL -> (consumer) FREE.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/batch.h"
#include "matterfab/error.h"

struct mfab_batch_pipe {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a slot was pushed or consumed, or the end */
    pthread_t thread;
    int (*consume)(void *ctx, void *slot, mfab_diag *diag);
    void *ctx;
    unsigned char *data;
    size_t slot_size, n_slots;
    uint64_t pushed, consumed; /* slot k is data + (k % n_slots) * size */
    int closing;               /* the caller pushes no more */
    int rc;                    /* the consumer's first failure */
    mfab_diag failure;
};

static void *
consumer_main(void *arg)
{
    mfab_batch_pipe *p = arg;
    mfab_diag diag = MFAB_DIAG_INIT;

    pthread_mutex_lock(&p->lock);
    for (;;) {
        void *slot;
        int rc;

        while (p->consumed == p->pushed && !p->closing)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->consumed == p->pushed)
            break;
        slot = p->data + (p->consumed % p->n_slots) * p->slot_size;
        pthread_mutex_unlock(&p->lock);
        if (p->rc == 0) {
            mfab_diag_init(&diag);
            rc = p->consume(p->ctx, slot, &diag);
        } else {
            rc = 0;
            (void)p->consume(p->ctx, slot, NULL); /* release only */
        }
        pthread_mutex_lock(&p->lock);
        if (rc != 0 && p->rc == 0) {
            p->rc = rc;
            mfab_diag_set(&p->failure, rc, "%s",
                          diag.message[0] != '\0' ? diag.message
                                                  : mfab_strerror(rc));
        }
        p->consumed++;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* see matterfab/batch.h */
int
mfab_batch_pipe_start(mfab_batch_pipe **out, size_t slots, size_t slot_size,
                      int (*consume)(void *ctx, void *slot, mfab_diag *diag),
                      void *ctx, mfab_diag *diag)
{
    mfab_batch_pipe *p;

    *out = NULL;
    if (slots == 0 || slot_size == 0 || consume == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "pipe: needs slots, a slot size and a consumer");
    p = calloc(1, sizeof(*p));
    if (p != NULL)
        p->data = calloc(slots, slot_size);
    if (p == NULL || p->data == NULL) {
        if (p != NULL)
            free(p);
        return mfab_diag_set(diag, MFAB_ENOMEM,
                             "pipe: out of memory for %zu "
                             "slots",
                             slots);
    }
    p->consume = consume;
    p->ctx = ctx;
    p->slot_size = slot_size;
    p->n_slots = slots;
    mfab_diag_init(&p->failure);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    if (pthread_create(&p->thread, NULL, consumer_main, p) != 0) {
        pthread_cond_destroy(&p->changed);
        pthread_mutex_destroy(&p->lock);
        free(p->data);
        free(p);
        return mfab_diag_set(diag, MFAB_ENOMEM, "pipe: cannot start a thread");
    }
    *out = p;
    return 0;
}

/* see matterfab/batch.h */
void *
mfab_batch_pipe_slot(mfab_batch_pipe *p)
{
    void *slot = NULL;

    pthread_mutex_lock(&p->lock);
    while (p->rc == 0 && p->pushed - p->consumed == p->n_slots)
        pthread_cond_wait(&p->changed, &p->lock);
    if (p->rc == 0)
        slot = p->data + (p->pushed % p->n_slots) * p->slot_size;
    pthread_mutex_unlock(&p->lock);
    if (slot != NULL)
        memset(slot, 0, p->slot_size);
    return slot;
}

/* see matterfab/batch.h */
void
mfab_batch_pipe_push(mfab_batch_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->pushed++;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

/* see matterfab/batch.h */
int
mfab_batch_pipe_finish(mfab_batch_pipe *p, mfab_diag *diag)
{
    int rc;

    if (p == NULL)
        return 0;
    pthread_mutex_lock(&p->lock);
    p->closing = 1;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    rc = p->rc;
    if (rc != 0)
        mfab_diag_set(diag, rc, "%s", p->failure.message);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    free(p->data);
    free(p);
    return rc;
}
