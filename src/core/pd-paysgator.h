/* pd-paysgator.h: one account's client of the PaysGator wallet gateway */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pd-enums.h"
#include "pd-http.h"
#include "pd-money.h"
#include "pd-payment-confirmation.h"
#include "pd-payment-link.h"
#include "pd-subscription.h"
#include "pd-transaction.h"
#include "pd-wallet.h"

G_BEGIN_DECLS

/* What PATCH /subscriptions/{id} can do. */
typedef enum
{
  PD_SUBSCRIPTION_ACTION_CANCEL,
  PD_SUBSCRIPTION_ACTION_PAUSE,
  PD_SUBSCRIPTION_ACTION_RESUME,
} PdSubscriptionAction;

#define PD_TYPE_SUBSCRIPTION_ACTION (pd_subscription_action_get_type ())
GType pd_subscription_action_get_type (void) G_GNUC_CONST;

#define PD_TYPE_PAYSGATOR (pd_paysgator_get_type ())

G_DECLARE_FINAL_TYPE (PdPaysgator, pd_paysgator, PD, PAYSGATOR, GObject)

/* @base_url is the API's root ("https://paysgator.com/api/v1"); the key's
 * mode (LIVE or TEST) is the gateway's business. @pacer may be NULL (the
 * documented 100 per minute). Fails like pd_http_new(). */
PdPaysgator    *pd_paysgator_new                        (const char            *base_url,
                                                         const char            *api_key,
                                                         PdPacer               *pacer,
                                                         GError               **error);
PdHttp         *pd_paysgator_get_http                   (PdPaysgator           *self);

/* A payment link for @amount. Every argument after it may be NULL. Sent
 * once: never retried, so no second link appears. */
void            pd_paysgator_create_payment_async       (PdPaysgator           *self,
                                                         const PdMoney         *amount,
                                                         const char * const    *payment_methods,
                                                         const char            *return_url,
                                                         const char * const    *fields,
                                                         const char            *external_id,
                                                         JsonObject            *metadata,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PdPaymentLink  *pd_paysgator_create_payment_finish      (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/* Pays the link @payment_link_id with @payment_method ("MPESA"), with
 * @payment_fields ({"phoneNumber": …}) and @customer, both optional. Fee
 * and net amount are read in @currency, the link's. Sent once. */
void            pd_paysgator_confirm_payment_async      (PdPaysgator           *self,
                                                         const char            *payment_link_id,
                                                         const char            *payment_method,
                                                         JsonObject            *payment_fields,
                                                         JsonObject            *customer,
                                                         const char            *currency,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PdPaymentConfirmation *pd_paysgator_confirm_payment_finish (PdPaysgator        *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

void            pd_paysgator_wallet_balance_async       (PdPaysgator           *self,
                                                         PdHttpFlags            flags,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PdWallet       *pd_paysgator_wallet_balance_finish      (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

void            pd_paysgator_get_transaction_async      (PdPaysgator           *self,
                                                         const char            *id,
                                                         PdHttpFlags            flags,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PdTransaction  *pd_paysgator_get_transaction_finish     (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/* @customer_name and @metadata may be NULL. Sent once. */
void            pd_paysgator_create_subscription_async  (PdPaysgator           *self,
                                                         const char            *plan_id,
                                                         const char            *customer_email,
                                                         const char            *customer_name,
                                                         JsonObject            *metadata,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PdSubscription *pd_paysgator_create_subscription_finish (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

void            pd_paysgator_get_subscription_async     (PdPaysgator           *self,
                                                         const char            *id,
                                                         PdHttpFlags            flags,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PdSubscription *pd_paysgator_get_subscription_finish    (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/* Each filter may be NULL (or UNKNOWN for @status): then it filters nothing. */
void            pd_paysgator_list_subscriptions_async   (PdPaysgator           *self,
                                                         const char            *customer_email,
                                                         PdSubscriptionStatus   status,
                                                         const char            *plan_id,
                                                         PdHttpFlags            flags,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
/* A list of PdSubscription, in the gateway's order. */
GListModel     *pd_paysgator_list_subscriptions_finish  (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/* Cancels, pauses or resumes; the answer has the id, status and period end. */
void            pd_paysgator_update_subscription_async  (PdPaysgator           *self,
                                                         const char            *id,
                                                         PdSubscriptionAction   action,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PdSubscription *pd_paysgator_update_subscription_finish (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/* For "Test connection": the wallet balance; TRUE when the key was accepted. */
void            pd_paysgator_check_credentials_async    (PdPaysgator           *self,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean        pd_paysgator_check_credentials_finish   (PdPaysgator           *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

G_END_DECLS
