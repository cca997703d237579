/* pd-account-store.h: accounts in a key file, their API keys in the keyring */
#pragma once

#include <gio/gio.h>

#include "pd-account.h"

G_BEGIN_DECLS

/* The libsecret schema name; attributes "account-id" and "secret" ("api-key" or "api-secret"). */
#define PD_ACCOUNT_SECRET_SCHEMA_NAME "io.github.paydesk.Paydesk.Account"

/**
 * PdAccountSecrets:
 *
 * An account's API key and (PesoGate) API secret, held in libsecret's
 * non-pageable memory and wiped when freed. Opaque.
 */
typedef struct _PdAccountSecrets PdAccountSecrets;

#define PD_TYPE_ACCOUNT_SECRETS (pd_account_secrets_get_type ())

GType             pd_account_secrets_get_type       (void) G_GNUC_CONST;
PdAccountSecrets *pd_account_secrets_new            (const char             *api_key,
                                                     const char             *api_secret);
PdAccountSecrets *pd_account_secrets_copy           (const PdAccountSecrets *secrets);
void              pd_account_secrets_free           (PdAccountSecrets       *secrets);
const char       *pd_account_secrets_get_api_key    (const PdAccountSecrets *secrets);
const char       *pd_account_secrets_get_api_secret (const PdAccountSecrets *secrets);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdAccountSecrets, pd_account_secrets_free)

#define PD_TYPE_ACCOUNT_STORE (pd_account_store_get_type ())

G_DECLARE_FINAL_TYPE (PdAccountStore, pd_account_store, PD, ACCOUNT_STORE, GObject)

PdAccountStore   *pd_account_store_new                   (const char           *path);
const char       *pd_account_store_get_path              (PdAccountStore       *self);
GListModel       *pd_account_store_get_accounts          (PdAccountStore       *self);
PdAccount        *pd_account_store_find                  (PdAccountStore       *self,
                                                          const char           *account_id);
guint             pd_account_store_get_keyring_timeout   (PdAccountStore       *self);
void              pd_account_store_set_keyring_timeout   (PdAccountStore       *self,
                                                          guint                 seconds);

void              pd_account_store_load_async            (PdAccountStore       *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GListModel       *pd_account_store_load_finish           (PdAccountStore       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void              pd_account_store_add_async             (PdAccountStore       *self,
                                                          PdAccount            *account,
                                                          PdAccountSecrets     *secrets,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean          pd_account_store_add_finish            (PdAccountStore       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void              pd_account_store_update_async          (PdAccountStore       *self,
                                                          PdAccount            *account,
                                                          PdAccountSecrets     *secrets,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean          pd_account_store_update_finish         (PdAccountStore       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void              pd_account_store_lookup_secrets_async  (PdAccountStore       *self,
                                                          PdAccount            *account,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
PdAccountSecrets *pd_account_store_lookup_secrets_finish (PdAccountStore       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void              pd_account_store_remove_async          (PdAccountStore       *self,
                                                          PdAccount            *account,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean          pd_account_store_remove_finish         (PdAccountStore       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
