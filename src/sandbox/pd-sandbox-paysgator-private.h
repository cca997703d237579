/* pd-sandbox-paysgator-private.h: what the PaysGator sandbox files share */
#pragma once

#include "pd-decimal.h"
#include "pd-iso4217.h"
#include "pd-sandbox-paysgator.h"

G_BEGIN_DECLS

/* Every wallet, payment link and plan is in this currency. */
#define WALLET_CURRENCY "MZN"
/* The fee is FEE_PER_MILLE / 1000 of the amount, rounded half up. */
#define FEE_PER_MILLE 25
/* Keeps every amount, and its double, exact. */
#define MAX_AMOUNT_MINOR G_GINT64_CONSTANT (100000000000000)
/* Longest accepted text field (emails, names, references, URLs). */
#define MAX_TEXT_LENGTH 2048

/* Errors of the API: each maps to an HTTP status and a PaysGator code. */
typedef enum
{
  PAYS_ERROR_UNAUTHORIZED,
  PAYS_ERROR_MODE_MISMATCH,
  PAYS_ERROR_NOT_FOUND,
  PAYS_ERROR_METHOD_NOT_ALLOWED,
  PAYS_ERROR_MISSING_FIELDS,
  PAYS_ERROR_BODY_TOO_LARGE,
  PAYS_ERROR_WALLET_NOT_FOUND,
  PAYS_ERROR_CURRENCY_MISMATCH,
  PAYS_ERROR_PAYMENT_FAILED,
  PAYS_ERROR_INVALID_ACTION,
} PaysError;

#define PAYS_ERROR (pd_sandbox_paysgator_error_quark ())
GQuark pd_sandbox_paysgator_error_quark (void);

static const struct
{
  guint       status;
  const char *code;
} pays_errors[] = {
  [PAYS_ERROR_UNAUTHORIZED] = { SOUP_STATUS_UNAUTHORIZED, "UNAUTHORIZED" },
  [PAYS_ERROR_MODE_MISMATCH] = { SOUP_STATUS_FORBIDDEN, "MODE_MISMATCH" },
  [PAYS_ERROR_NOT_FOUND] = { SOUP_STATUS_NOT_FOUND, "NOT_FOUND" },
  /* The spec has no code of its own for a wrong method. */
  [PAYS_ERROR_METHOD_NOT_ALLOWED] = { SOUP_STATUS_METHOD_NOT_ALLOWED, "NOT_FOUND" },
  [PAYS_ERROR_MISSING_FIELDS] = { SOUP_STATUS_BAD_REQUEST, "MISSING_FIELDS" },
  [PAYS_ERROR_BODY_TOO_LARGE] = { SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "MISSING_FIELDS" },
  [PAYS_ERROR_WALLET_NOT_FOUND] = { SOUP_STATUS_NOT_FOUND, "WALLET_NOT_FOUND" },
  [PAYS_ERROR_CURRENCY_MISMATCH] = { SOUP_STATUS_BAD_REQUEST, "CURRENCY_MISMATCH" },
  [PAYS_ERROR_PAYMENT_FAILED] = { SOUP_STATUS_PAYMENT_REQUIRED, "PAYMENT_FAILED" },
  [PAYS_ERROR_INVALID_ACTION] = { SOUP_STATUS_BAD_REQUEST, "INVALID_ACTION" },
};

typedef enum
{
  TXN_PENDING,
  TXN_SUCCESS,
  TXN_FAILED,
  TXN_REFUNDED,
} TxnStatus;

static const char * const txn_status_names[] = { "PENDING", "SUCCESS", "FAILED", "REFUNDED" };

typedef enum
{
  SUB_ACTIVE,
  SUB_CANCELED,
  SUB_PAST_DUE,
  SUB_PAUSED,
} SubStatus;

static const char * const sub_status_names[] = { "ACTIVE", "CANCELED", "PAST_DUE", "PAUSED" };

typedef enum
{
  METHOD_NONE = 0,
  METHOD_MPESA = 1 << 0,
  METHOD_CARD = 1 << 1,
} Method;

#define ALL_METHODS (METHOD_MPESA | METHOD_CARD)

/* What a payment link may ask the customer for, in the spec's order. */
static const char * const customer_fields[] = { "name", "email", "phone", "address" };

typedef struct
{
  char            *id;
  guint64          seq;
  gboolean         live;
  gint64           amount;
  const PdIso4217 *currency;
  TxnStatus        status;
  Method           method;      /* METHOD_NONE until a payment is attempted */
  gint64           fee;
  gint64           created_at;
} Transaction;

typedef struct
{
  char        *id;
  gboolean     live;
  Transaction *transaction;     /* owned by the transactions table */
  guint        methods;         /* Method bits the customer may use */
  guint        fields;          /* bit i: customer_fields[i] is collected */
  char        *return_url;
  char        *external_id;
} PaymentLink;

typedef struct
{
  const char *id;
  const char *name;
  gint64      amount;           /* WALLET_CURRENCY minor units */
  gboolean    yearly;
} Plan;

/* Fixed ids, so that scripts and the app can name a plan across restarts. */
static const Plan plans[] = {
  { "3f6c2a8e-1b4d-4c7a-9e2f-5a8b1c3d7e01", "Basic monthly", 49900, FALSE },
  { "8b2d5f19-6c3a-4e7b-a1d4-7c9e0f2b4a12", "Pro monthly", 149900, FALSE },
  { "c5e81a4d-2f7b-4d90-8e36-1a4b7d9c2f23", "Pro yearly", 1499000, TRUE },
};

typedef struct
{
  char       *id;
  guint64     seq;
  gboolean    live;
  const Plan *plan;
  char       *customer_email;
  char       *customer_name;
  SubStatus   status;
  gint64      period_start;     /* 0 until the first payment */
  gint64      period_end;
  gint64      created_at;
} Subscription;

/* One wallet per mode, indexed by `live`; fixed ids like the keys. */
static const char * const wallet_ids[] = {
  "c2d74e19-8a3b-4f05-b6c1-9e2a7d4f0b58",
  "5b0e8c3a-7f21-4d96-a4e8-1c9d2f6b3a70",
};

struct _PdSandboxPaysgator
{
  GObject      parent_instance;

  PdSandbox   *sandbox;         /* unowned: the sandbox owns its gateways */
  gint64       balance[2];      /* wallet balances in minor units, by `live` */
  GHashTable  *transactions;    /* id → Transaction */
  GHashTable  *links;           /* id → PaymentLink */
  GHashTable  *subscriptions;   /* id → Subscription */
  guint64      next_seq;
  GRand       *demo_ids;        /* while seeding: the same ids every start */
};

/* pd-sandbox-paysgator.c */

const char *pd_sandbox_paysgator_mode_name (gboolean live);
const char *pd_sandbox_paysgator_method_name (Method method);
Method pd_sandbox_paysgator_method_from_name (const char *name);
const PdIso4217 *pd_sandbox_paysgator_wallet_currency (void);
gint64 pd_sandbox_paysgator_minor_scale (guint exponent);
gint64 pd_sandbox_paysgator_sandbox_now (PdSandboxPaysgator *self);
char *pd_sandbox_paysgator_format_amount (gint64           minor,
                                          const PdIso4217 *currency);
Transaction *pd_sandbox_paysgator_transaction_new (PdSandboxPaysgator *self,
                                                   gboolean            live,
                                                   gint64              amount,
                                                   const PdIso4217    *currency,
                                                   gint64              created_at);
void pd_sandbox_paysgator_transaction_settle (PdSandboxPaysgator *self,
                                              Transaction        *txn,
                                              Method              method,
                                              gboolean            success);
PaymentLink *pd_sandbox_paysgator_payment_link_new (PdSandboxPaysgator *self,
                                                    gboolean            live,
                                                    gint64              amount,
                                                    const PdIso4217    *currency,
                                                    guint               methods,
                                                    guint               fields,
                                                    const char         *return_url,
                                                    const char         *external_id,
                                                    gint64              created_at);
gboolean pd_sandbox_paysgator_check_mode (gboolean     live,
                                          gboolean     object_live,
                                          const char  *what,
                                          GError     **error);
char *pd_sandbox_paysgator_checkout_url (PdSandboxPaysgator *self,
                                         const char         *page_path);
GHashTable *pd_sandbox_paysgator_read_query (SoupServerMessage *msg);
int pd_sandbox_paysgator_compare_newest_first (gint64  time_a,
                                               guint64 seq_a,
                                               gint64  time_b,
                                               guint64 seq_b);

/* pd-sandbox-paysgator-json.c */

JsonNode *pd_sandbox_paysgator_member (JsonObject *object,
                                       const char *name);
gboolean pd_sandbox_paysgator_read_string (JsonObject  *object,
                                           const char  *name,
                                           gboolean     required,
                                           const char **out,
                                           GError     **error);
gboolean pd_sandbox_paysgator_read_object (JsonObject  *object,
                                           const char  *name,
                                           JsonObject **out,
                                           GError     **error);
gboolean pd_sandbox_paysgator_read_amount (JsonObject      *object,
                                           const PdIso4217 *currency,
                                           gint64          *out,
                                           GError         **error);
gboolean pd_sandbox_paysgator_read_choices (JsonObject         *object,
                                            const char         *name,
                                            const char * const *names,
                                            guint               n_names,
                                            guint              *bits_out,
                                            GError            **error);
gboolean pd_sandbox_paysgator_email_valid (const char *email);
gboolean pd_sandbox_paysgator_url_valid (const char *text);
gboolean pd_sandbox_paysgator_check_payer (Method       method,
                                           const char  *phone,
                                           gboolean    *declined_out,
                                           GError     **error);
gboolean pd_sandbox_paysgator_confirm_link (PdSandboxPaysgator  *self,
                                            PaymentLink         *link,
                                            Method               method,
                                            const char          *phone,
                                            GError             **error);
void pd_sandbox_paysgator_add_string (JsonBuilder *builder,
                                      const char  *name,
                                      const char  *value);
void pd_sandbox_paysgator_add_amount (JsonBuilder     *builder,
                                      const char      *name,
                                      gint64           minor,
                                      const PdIso4217 *currency);
void pd_sandbox_paysgator_add_time (JsonBuilder *builder,
                                    const char  *name,
                                    gint64       unix_time);
JsonBuilder *pd_sandbox_paysgator_begin_success (void);
void pd_sandbox_paysgator_reply_error (SoupServerMessage *msg,
                                       const GError      *error);

/* pd-sandbox-paysgator-subscriptions.c */

Subscription *pd_sandbox_paysgator_subscription_new (PdSandboxPaysgator *self,
                                                     gboolean            live,
                                                     const Plan         *plan,
                                                     const char         *customer_email,
                                                     const char         *customer_name,
                                                     gint64              created_at);
void pd_sandbox_paysgator_subscription_refresh (PdSandboxPaysgator *self,
                                                Subscription       *sub);
gboolean pd_sandbox_paysgator_subscription_payable (Subscription *sub);
void pd_sandbox_paysgator_subscription_pay (PdSandboxPaysgator *self,
                                            Subscription       *sub,
                                            Method              method,
                                            gboolean            success,
                                            gint64              when);
JsonBuilder *pd_sandbox_paysgator_api_subscription_create (PdSandboxPaysgator  *self,
                                                           SoupServerMessage   *msg,
                                                           gboolean             live,
                                                           const char          *id,
                                                           JsonObject          *body,
                                                           GError             **error);
JsonBuilder *pd_sandbox_paysgator_api_subscription_get (PdSandboxPaysgator  *self,
                                                        SoupServerMessage   *msg,
                                                        gboolean             live,
                                                        const char          *id,
                                                        JsonObject          *body,
                                                        GError             **error);
GPtrArray *pd_sandbox_paysgator_subscriptions_of_mode (PdSandboxPaysgator *self,
                                                       gboolean            live);
JsonBuilder *pd_sandbox_paysgator_api_subscription_list (PdSandboxPaysgator  *self,
                                                         SoupServerMessage   *msg,
                                                         gboolean             live,
                                                         const char          *id,
                                                         JsonObject          *body,
                                                         GError             **error);
JsonBuilder *pd_sandbox_paysgator_api_subscription_update (PdSandboxPaysgator  *self,
                                                           SoupServerMessage   *msg,
                                                           gboolean             live,
                                                           const char          *id,
                                                           JsonObject          *body,
                                                           GError             **error);

/* pd-sandbox-paysgator-pages.c */

void pd_sandbox_paysgator_handle_link_checkout (PdSandboxPaysgator *self,
                                                SoupServerMessage  *msg,
                                                const char         *link_id);
void pd_sandbox_paysgator_handle_subscription_checkout (PdSandboxPaysgator *self,
                                                        SoupServerMessage  *msg,
                                                        const char         *sub_id);

G_END_DECLS
