/* pd-account.h: one merchant account at a gateway (everything but its secrets) */
#pragma once

#include <gio/gio.h>

#include "pd-enums.h"

G_BEGIN_DECLS

#define PD_ACCOUNT_ERROR (pd_account_error_quark ())

/**
 * PdAccountError:
 * @PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE: no Secret Service (keyring) is on the
 *   session bus, the bus itself is missing, or the keyring did not answer in
 *   time. Nothing was written.
 * @PD_ACCOUNT_ERROR_KEYRING_LOCKED: the keyring is locked: the unlock prompt was
 *   dismissed, could not be shown, or was not answered in time. Nothing was written.
 * @PD_ACCOUNT_ERROR_KEYRING_REFUSED: the keyring failed in another way. Nothing
 *   was written.
 * @PD_ACCOUNT_ERROR_NOT_FOUND: the account is not in the accounts file, or no
 *   API key is stored for it.
 * @PD_ACCOUNT_ERROR_INVALID: the account or its secrets are not acceptable
 *   (empty name, bad or plain-http base URL, missing API key, PesoGate
 *   without its API secret, unknown provider or currency).
 * @PD_ACCOUNT_ERROR_IO: the accounts file cannot be read or written
 *   (read-only folder, disk full, damaged file). The keyring was put back
 *   as it was.
 *
 * Every message is translated, says what to do, and never contains a key or secret.
 */
typedef enum
{
  PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE,
  PD_ACCOUNT_ERROR_KEYRING_LOCKED,
  PD_ACCOUNT_ERROR_KEYRING_REFUSED,
  PD_ACCOUNT_ERROR_NOT_FOUND,
  PD_ACCOUNT_ERROR_INVALID,
  PD_ACCOUNT_ERROR_IO,
} PdAccountError;

/* PesoGate's card providers, as the API names them. */
#define PD_ACCOUNT_PROVIDER_CYBERSOURCE "cybersource"
#define PD_ACCOUNT_PROVIDER_MPGS        "mpgs"

/* The 3-D Secure return addresses Paydesk intercepts; never loaded. */
#define PD_ACCOUNT_DEFAULT_RETURN_URL   "https://paydesk.invalid/3ds/return"
#define PD_ACCOUNT_DEFAULT_CANCEL_URL   "https://paydesk.invalid/3ds/cancel"

/* Both specs: 100 requests per minute per merchant. */
#define PD_ACCOUNT_DEFAULT_RATE_LIMIT   100
#define PD_ACCOUNT_MAX_RATE_LIMIT       100000

#define PD_TYPE_ACCOUNT (pd_account_get_type ())

G_DECLARE_FINAL_TYPE (PdAccount, pd_account, PD, ACCOUNT, GObject)

GQuark              pd_account_error_quark             (void);

PdAccount          *pd_account_new                     (PdGateway           gateway,
                                                        const char         *display_name);
PdAccount          *pd_account_copy                    (PdAccount          *self);

const char         *pd_account_get_id                  (PdAccount          *self);
const char         *pd_account_get_display_name        (PdAccount          *self);
void                pd_account_set_display_name        (PdAccount          *self,
                                                        const char         *display_name);
PdGateway           pd_account_get_gateway             (PdAccount          *self);
void                pd_account_set_gateway             (PdAccount          *self,
                                                        PdGateway           gateway);
const char         *pd_account_get_base_url            (PdAccount          *self);
void                pd_account_set_base_url            (PdAccount          *self,
                                                        const char         *base_url);
PdMode              pd_account_get_mode                (PdAccount          *self);
void                pd_account_set_mode                (PdAccount          *self,
                                                        PdMode              mode);
guint               pd_account_get_rate_limit          (PdAccount          *self);
void                pd_account_set_rate_limit          (PdAccount          *self,
                                                        guint               rate_limit);
const char * const *pd_account_get_providers           (PdAccount          *self);
void                pd_account_set_providers           (PdAccount          *self,
                                                        const char * const *providers);
gboolean            pd_account_has_provider            (PdAccount          *self,
                                                        const char         *provider);
gboolean            pd_account_get_sandbox             (PdAccount          *self);
void                pd_account_set_sandbox             (PdAccount          *self,
                                                        gboolean            sandbox);
const char         *pd_account_get_return_url          (PdAccount          *self);
void                pd_account_set_return_url          (PdAccount          *self,
                                                        const char         *return_url);
const char         *pd_account_get_cancel_url          (PdAccount          *self);
void                pd_account_set_cancel_url          (PdAccount          *self,
                                                        const char         *cancel_url);
const char * const *pd_account_get_currencies          (PdAccount          *self);
void                pd_account_set_currencies          (PdAccount          *self,
                                                        const char * const *currencies);

gboolean            pd_account_validate                (PdAccount          *self,
                                                        GError            **error);

const char         *pd_account_default_base_url        (PdGateway           gateway);
gboolean            pd_account_validate_base_url       (const char         *base_url,
                                                        GError            **error);
gboolean            pd_account_mode_from_paysgator_key (const char         *api_key,
                                                        PdMode             *mode);

G_END_DECLS
