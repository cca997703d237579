/* pd-sandbox-pesogate-private.h: what the PesoGate sandbox files share */
#pragma once

#include "pd-decimal.h"
#include "pd-iso4217.h"
#include "pd-sandbox-pesogate.h"

G_BEGIN_DECLS

#define API_PREFIX      PD_SANDBOX_API_PATH
#define ACS_PATH        PD_SANDBOX_PESOGATE_PREFIX "/3ds/acs"
#define ACS_DONE_PATH   PD_SANDBOX_PESOGATE_PREFIX "/3ds/acs/complete"
#define REDIRECT_PATH   PD_SANDBOX_PESOGATE_PREFIX "/3ds/redirect/"
#define RESULT_PATH     PD_SANDBOX_PESOGATE_PREFIX "/3ds/result/"
#define MERCHANT_NAME   "Paydesk Sandbox Merchant"
#define OTP_CODE        "1234"
/* A challenge not finished this long after initialize ends the payment. */
#define CHALLENGE_TTL   (10 * 60)
/* Whole currency units an amount may have, so it stays exact as a double. */
#define MAX_MAJOR_UNITS G_GINT64_CONSTANT (999999999)
#define MAX_TEXT_LENGTH 255
#define MAX_URL_LENGTH  2048

typedef enum
{
  STATUS_INITIALIZED,
  STATUS_PENDING,
  STATUS_AUTHORIZED,
  STATUS_COMPLETED,
  STATUS_FAILED,
  STATUS_REFUNDED,
  STATUS_CANCELLED,
} Status;

static const char * const status_names[] = {
  [STATUS_INITIALIZED] = "initialized",
  [STATUS_PENDING] = "pending",
  [STATUS_AUTHORIZED] = "authorized",
  [STATUS_COMPLETED] = "completed",
  [STATUS_FAILED] = "failed",
  [STATUS_REFUNDED] = "refunded",
  [STATUS_CANCELLED] = "cancelled",
};

typedef struct
{
  const char *number;
  const char *provider;
  const char *brand;
  gboolean    succeeds;
} TestCard;

/* Exactly the spec's two tables. */
static const TestCard test_cards[] = {
  { "4111111111111111", "cybersource", "visa", TRUE },
  { "5555555555554444", "cybersource", "mastercard", TRUE },
  { "378282246310005", "cybersource", "amex", TRUE },
  { "4111111111111112", "cybersource", "visa", FALSE },
  { "4242424242424242", "mpgs", "visa", TRUE },
  { "5123450000000008", "mpgs", "mastercard", TRUE },
  { "340000000000009", "mpgs", "amex", TRUE },
  { "4000000000000002", "mpgs", "visa", FALSE },
};

static const char * const providers[] = { "cybersource", "mpgs", NULL };
#define N_PROVIDERS 2

typedef struct
{
  guint64          seq;
  char            *reference;
  char            *order_id;
  const PdIso4217 *currency;
  gint64           amount;     /* minor units */
  gint64           refunded;   /* minor units */
  char            *provider;
  const char      *card_type;
  char             card_last_four[5];
  gboolean         card_succeeds;
  Status           status;
  gint64           created_at;
  gint64           completed_at; /* 0 until completed */
  char            *customer_email;
  char            *customer_name;
  char            *customer_phone;
  char            *return_url;
  char            *cancel_url;
  JsonObject      *metadata;
  char            *challenge_token; /* NULL when no 3-D Secure challenge was started */
  char            *decline_reason;  /* why the issuer will decline, for the result page */
  gboolean         challenge_over;
} Transaction;

struct _PdSandboxPesogate
{
  GObject     parent_instance;

  PdSandbox  *sandbox;       /* weak: the sandbox owns its gateways */
  GPtrArray  *transactions;  /* Transaction, owned, in creation order */
  GHashTable *by_reference;  /* reference → Transaction */
  GHashTable *by_token;      /* challenge token → Transaction */
  GRand      *demo_ids;      /* while seeding: the same references every start */
  GHashTable *order_ids;     /* every order_id ever used, a set */
  guint64     next_seq;
};

typedef struct
{
  JsonObject *body;
  JsonObject *errors;
} Validation;

/* pd-sandbox-pesogate.c */

gint64 pd_sandbox_pesogate_now (PdSandboxPesogate *self);
Transaction *pd_sandbox_pesogate_transaction_add (PdSandboxPesogate *self,
                                                  const char        *order_id,
                                                  gint64             created_at);
void pd_sandbox_pesogate_transaction_set_card (Transaction *t,
                                               const char  *number);
void pd_sandbox_pesogate_transaction_expire_challenge (PdSandboxPesogate *self,
                                                       Transaction       *t);
Transaction *pd_sandbox_pesogate_lookup_reference (PdSandboxPesogate *self,
                                                   const char        *reference);
const char *pd_sandbox_pesogate_brand_display_name (const char *brand);
char *pd_sandbox_pesogate_format_amount (const Transaction *t,
                                         gint64             minor);
gint64 pd_sandbox_pesogate_power_of_ten (guint exponent);
void pd_sandbox_pesogate_reply_method_not_allowed (SoupServerMessage *msg,
                                                   const char        *allow,
                                                   gboolean           json);
void pd_sandbox_pesogate_reply_page (SoupServerMessage *msg,
                                     guint              status,
                                     const char        *title,
                                     const char        *body_html);
gboolean pd_sandbox_pesogate_method_is (SoupServerMessage *msg,
                                        const char        *method);
char *pd_sandbox_pesogate_decline_reason (const char *provider,
                                          const char *card_number);

/* pd-sandbox-pesogate-validation.c */

void pd_sandbox_pesogate_add_error (JsonObject *errors,
                                    const char *field,
                                    const char *message);
gboolean pd_sandbox_pesogate_node_is_type (JsonNode *node,
                                           GType     type);
JsonNode *pd_sandbox_pesogate_member (JsonObject *body,
                                      const char *name);
gboolean pd_sandbox_pesogate_all_digits (const char *text);
const char *pd_sandbox_pesogate_read_string (Validation *v,
                                             const char *field,
                                             gboolean    required,
                                             gsize       max_length);
const PdIso4217 *pd_sandbox_pesogate_lookup_currency (const char *code);
char *pd_sandbox_pesogate_read_amount (JsonNode        *node,
                                       const PdIso4217 *currency,
                                       gint64          *minor_out);
guint pd_sandbox_pesogate_read_expiry_part (Validation *v,
                                            const char *field,
                                            gboolean    is_month);
gboolean pd_sandbox_pesogate_valid_email (const char *text);
const char *pd_sandbox_pesogate_read_url (Validation *v,
                                          const char *field);

/* pd-sandbox-pesogate-3ds.c */

void pd_sandbox_pesogate_handle_3ds (PdSandboxPesogate *self,
                                     SoupServerMessage *msg,
                                     const char        *path);

G_END_DECLS
