/* pd-keyring.h: the account store's keyring access, internal to the core */
#pragma once

#include <libsecret/secret.h>

#include "pd-account-store.h"

G_BEGIN_DECLS

#define PD_KEYRING_N_SECRET_KINDS 2

struct _PdAccountSecrets
{
  /* Indexed like secret_kinds; NULL when absent. Never shared with another
   * owner, so freeing may wipe them. */
  SecretValue *values[PD_KEYRING_N_SECRET_KINDS];
};

void              pd_keyring_wipe_value           (SecretValue             *value);

GError           *pd_keyring_locked_error         (void);
GError           *pd_keyring_cancelled_error      (void);
gboolean          pd_keyring_caller_has_cancelled (GTask                   *task);
GError           *pd_keyring_error                (GTask                   *task,
                                                   GError                  *error);

void              pd_keyring_put_async            (const char              *account_id,
                                                   const char              *name,
                                                   const PdAccountSecrets  *secrets,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
gboolean          pd_keyring_put_finish           (GAsyncResult            *result,
                                                   GError                 **error);

void              pd_keyring_get_async            (const char              *account_id,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
PdAccountSecrets *pd_keyring_get_finish           (GAsyncResult            *result,
                                                   GError                 **error);

void              pd_keyring_unlock_async         (const char              *account_id,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
gboolean          pd_keyring_unlock_finish        (GAsyncResult            *result,
                                                   GError                 **error);

G_END_DECLS
