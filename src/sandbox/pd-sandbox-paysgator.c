/* pd-sandbox-paysgator.c
 *
 * The PaysGator half of the sandbox: payment links with a checkout page,
 * M-Pesa and card confirmation with a 2.5% fee, one MZN wallet per mode that
 * receives the net amount, transaction lookup, and subscriptions on seeded
 * plans with their own checkout page. Every object carries the mode (LIVE or
 * TEST) of the key that created it, and a key of the other mode gets
 * MODE_MISMATCH. Money is gint64 minor units throughout.
 */
#define G_LOG_DOMAIN "pd-sandbox-paysgator"

#include "config.h"

#include <string.h>

#include "pd-decimal.h"
#include "pd-iso4217.h"
#include "pd-sandbox-paysgator.h"

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

#define PAYS_ERROR (pays_error_quark ())
static GQuark pays_error_quark (void);
G_DEFINE_QUARK (pd-sandbox-paysgator-error, pays_error)

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

G_DEFINE_FINAL_TYPE (PdSandboxPaysgator, pd_sandbox_paysgator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SANDBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
transaction_free (Transaction *txn)
{
  g_free (txn->id);
  g_free (txn);
}

static void
payment_link_free (PaymentLink *link)
{
  g_free (link->id);
  g_free (link->return_url);
  g_free (link->external_id);
  g_free (link);
}

static void
subscription_free (Subscription *sub)
{
  g_free (sub->id);
  g_free (sub->customer_email);
  g_free (sub->customer_name);
  g_free (sub);
}

static const char *
mode_name (gboolean live)
{
  return live ? "LIVE" : "TEST";
}

static const char *
method_name (Method method)
{
  switch (method)
    {
    case METHOD_MPESA:
      return "MPESA";
    case METHOD_CARD:
      return "CARD";
    case METHOD_NONE:
    default:
      return NULL;
    }
}

static Method
method_from_name (const char *name)
{
  if (g_strcmp0 (name, "MPESA") == 0)
    return METHOD_MPESA;
  if (g_strcmp0 (name, "CARD") == 0)
    return METHOD_CARD;
  return METHOD_NONE;
}

static const PdIso4217 *
wallet_currency (void)
{
  return pd_iso4217_lookup (WALLET_CURRENCY);
}

static gint64
minor_scale (guint exponent)
{
  gint64 scale = 1;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;
  return scale;
}

static gint64
fee_for (gint64 amount)
{
  return (amount * FEE_PER_MILLE + 500) / 1000;
}

static gint64
sandbox_now (PdSandboxPaysgator *self)
{
  return pd_sandbox_now (self->sandbox);
}

static char *
format_amount (gint64           minor,
               const PdIso4217 *currency)
{
  char buf[PD_DECIMAL_BUF_SIZE];

  return g_strdup_printf ("%s %s", pd_decimal_format (minor, currency->exponent, buf), currency->code);
}

static gint64
period_end_after (gint64      start,
                  const Plan *plan)
{
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) to = plan->yearly ? g_date_time_add_years (from, 1) : g_date_time_add_months (from, 1);

  return g_date_time_to_unix (to);
}

static const Plan *
plan_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_strcmp0 (plans[i].id, id) == 0)
      return &plans[i];
  return NULL;
}

/* The state model */

static Transaction *
transaction_new (PdSandboxPaysgator *self,
                 gboolean            live,
                 gint64              amount,
                 const PdIso4217    *currency,
                 gint64              created_at)
{
  Transaction *txn = g_new0 (Transaction, 1);

  txn->id = pd_sandbox_new_id (self->demo_ids);
  txn->seq = self->next_seq++;
  txn->live = live;
  txn->amount = amount;
  txn->currency = currency;
  txn->status = TXN_PENDING;
  txn->created_at = created_at;
  g_hash_table_insert (self->transactions, txn->id, txn);
  return txn;
}

/* Ends a pending transaction; a success credits the net amount to the wallet. */
static void
transaction_settle (PdSandboxPaysgator *self,
                    Transaction        *txn,
                    Method              method,
                    gboolean            success)
{
  txn->method = method;
  if (success)
    {
      txn->status = TXN_SUCCESS;
      txn->fee = fee_for (txn->amount);
      self->balance[txn->live ? 1 : 0] += txn->amount - txn->fee;
    }
  else
    txn->status = TXN_FAILED;
}

static PaymentLink *
payment_link_new (PdSandboxPaysgator *self,
                  gboolean            live,
                  gint64              amount,
                  const PdIso4217    *currency,
                  guint               methods,
                  guint               fields,
                  const char         *return_url,
                  const char         *external_id,
                  gint64              created_at)
{
  PaymentLink *link = g_new0 (PaymentLink, 1);

  link->id = pd_sandbox_new_id (self->demo_ids);
  link->live = live;
  link->transaction = transaction_new (self, live, amount, currency, created_at);
  link->methods = methods;
  link->fields = fields;
  link->return_url = g_strdup (return_url);
  link->external_id = g_strdup (external_id);
  g_hash_table_insert (self->links, link->id, link);
  return link;
}

static Subscription *
subscription_new (PdSandboxPaysgator *self,
                  gboolean            live,
                  const Plan         *plan,
                  const char         *customer_email,
                  const char         *customer_name,
                  gint64              created_at)
{
  Subscription *sub = g_new0 (Subscription, 1);

  sub->id = pd_sandbox_new_id (self->demo_ids);
  sub->seq = self->next_seq++;
  sub->live = live;
  sub->plan = plan;
  sub->customer_email = g_strdup (customer_email);
  sub->customer_name = g_strdup (customer_name);
  /* The spec: a subscription starts PAUSED until its first payment. */
  sub->status = SUB_PAUSED;
  sub->created_at = created_at;
  g_hash_table_insert (self->subscriptions, sub->id, sub);
  return sub;
}

/* An active subscription whose period ended on the sandbox clock is past due. */
static void
subscription_refresh (PdSandboxPaysgator *self,
                      Subscription       *sub)
{
  if (sub->status == SUB_ACTIVE && sub->period_end <= sandbox_now (self))
    sub->status = SUB_PAST_DUE;
}

/* Never paid yet, or past due: the checkout page takes the next period's payment. */
static gboolean
subscription_payable (Subscription *sub)
{
  return (sub->status == SUB_PAUSED && sub->period_end == 0) || sub->status == SUB_PAST_DUE;
}

static void
subscription_pay (PdSandboxPaysgator *self,
                  Subscription       *sub,
                  Method              method,
                  gboolean            success,
                  gint64              when)
{
  Transaction *txn = transaction_new (self, sub->live, sub->plan->amount, wallet_currency (), when);

  transaction_settle (self, txn, method, success);
  if (success)
    {
      sub->status = SUB_ACTIVE;
      sub->period_start = when;
      sub->period_end = period_end_after (when, sub->plan);
    }
}

/* Checking input */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node)
         && (json_node_get_value_type (node) == G_TYPE_INT64
             || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

/* Reads an optional or required string member; absent or null is NULL. */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     required,
             const char **out,
             GError     **error)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s is required", name);
      return FALSE;
    }
  if (!node_is_string (node))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s must be a string", name);
      return FALSE;
    }
  if (required && json_node_get_string (node)[0] == '\0')
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s is required", name);
      return FALSE;
    }
  if (strlen (json_node_get_string (node)) > MAX_TEXT_LENGTH)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "%s is longer than %d characters", name, MAX_TEXT_LENGTH);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_object (JsonObject  *object,
             const char  *name,
             JsonObject **out,
             GError     **error)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s must be an object", name);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

/* A JSON number, positive, with no more decimals than @currency has. */
static gboolean
read_amount (JsonObject      *object,
             const PdIso4217 *currency,
             gint64          *out,
             GError         **error)
{
  JsonNode *node = member (object, "amount");
  PdDecimalStatus status;
  gint64 minor = 0;

  if (node == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount is required");
      return FALSE;
    }
  if (!node_is_number (node))
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount must be a number");
      return FALSE;
    }

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 units = json_node_get_int (node);

      if (units < 0)
        status = PD_DECIMAL_NEGATIVE;
      else if (units > MAX_AMOUNT_MINOR / minor_scale (currency->exponent))
        status = PD_DECIMAL_OVERFLOW;
      else
        {
          minor = units * minor_scale (currency->exponent);
          status = PD_DECIMAL_OK;
        }
    }
  else
    status = pd_decimal_from_double (json_node_get_double (node), currency->exponent, &minor);

  switch (status)
    {
    case PD_DECIMAL_OK:
      break;
    case PD_DECIMAL_NEGATIVE:
      minor = 0;
      break;
    case PD_DECIMAL_TOO_PRECISE:
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "amount has more decimals than %s allows (%u)", currency->code, currency->exponent);
      return FALSE;
    case PD_DECIMAL_OVERFLOW:
      minor = MAX_AMOUNT_MINOR + 1;
      break;
    case PD_DECIMAL_EMPTY:
    case PD_DECIMAL_SYNTAX:
    case PD_DECIMAL_NOT_FINITE:
    default:
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount must be a number");
      return FALSE;
    }

  if (minor <= 0)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount must be greater than 0");
      return FALSE;
    }
  if (minor > MAX_AMOUNT_MINOR)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount is too large");
      return FALSE;
    }

  *out = minor;
  return TRUE;
}

/* Reads an optional array of strings, each one of @names; returns the bits. */
static gboolean
read_choices (JsonObject         *object,
              const char         *name,
              const char * const *names,
              guint               n_names,
              guint              *bits_out,
              GError            **error)
{
  JsonNode *node = member (object, name);
  g_autoptr(GString) allowed = g_string_new (NULL);
  JsonArray *array;

  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (allowed, "%s%s", i > 0 ? ", " : "", names[i]);

  *bits_out = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "%s must be an array of strings (%s)", name, allowed->str);
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      guint bit = n_names;

      if (node_is_string (element))
        for (bit = 0; bit < n_names; bit++)
          if (g_str_equal (names[bit], json_node_get_string (element)))
            break;

      if (bit == n_names)
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                       "%s may only contain %s", name, allowed->str);
          return FALSE;
        }
      *bits_out |= 1u << bit;
    }

  return TRUE;
}

static gboolean
email_valid (const char *email)
{
  const char *at = strchr (email, '@');
  const char *domain;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL || strlen (email) > 254)
    return FALSE;

  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '<' || *p == '>' || *p == ',')
      return FALSE;

  domain = at + 1;
  return strchr (domain, '.') != NULL && domain[0] != '.' && !g_str_has_suffix (domain, ".")
         && strstr (domain, "..") == NULL;
}

static gboolean
url_valid (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL
         && (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
             || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
         && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

/* The nine national digits of a Mozambican mobile number (82–87 and seven
 * digits, optionally after +258 or 258, spaces and dashes allowed), or NULL. */
static char *
mozambican_mobile (const char *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean plus = text[0] == '+';

  for (const char *p = plus ? text + 1 : text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '-')
        return NULL;
    }

  if (digits->len == 12 && g_str_has_prefix (digits->str, "258"))
    g_string_erase (digits, 0, 3);
  else if (plus)
    return NULL;

  if (digits->len != 9 || digits->str[0] != '8' || digits->str[1] < '2' || digits->str[1] > '7')
    return NULL;

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/* Checks what the payer gave for @method; *declined_out is whether the
 * sandbox's M-Pesa turns it down (numbers ending in 0000). */
static gboolean
check_payer (Method       method,
             const char  *phone,
             gboolean    *declined_out,
             GError     **error)
{
  g_autofree char *national = NULL;

  *declined_out = FALSE;
  if (method != METHOD_MPESA)
    return TRUE;

  if (phone == NULL || phone[0] == '\0')
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "payment_fields.phoneNumber is required for MPESA");
      return FALSE;
    }

  national = mozambican_mobile (phone);
  if (national == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "payment_fields.phoneNumber must be a Mozambican mobile number "
                           "(82 to 87 and 7 digits, e.g. 841234567 or +258841234567)");
      return FALSE;
    }

  *declined_out = g_str_has_suffix (national, "0000");
  return TRUE;
}

/* The confirmation both the API and the checkout page go through. */
static gboolean
confirm_link (PdSandboxPaysgator  *self,
              PaymentLink         *link,
              Method               method,
              const char          *phone,
              GError             **error)
{
  Transaction *txn = link->transaction;
  gboolean declined;

  if (txn->status != TXN_PENDING)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                   "This payment link is no longer payable: its transaction is %s",
                   txn_status_names[txn->status]);
      return FALSE;
    }

  if ((link->methods & method) == 0)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "paymentMethod %s is not accepted by this payment link", method_name (method));
      return FALSE;
    }

  if (!check_payer (method, phone, &declined, error))
    return FALSE;

  transaction_settle (self, txn, method, !declined);
  if (declined)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_PAYMENT_FAILED,
                           "M-Pesa declined the payment (sandbox numbers ending in 0000 always fail)");
      return FALSE;
    }

  return TRUE;
}

/* Writing JSON */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Amounts are JSON numbers: whole units, or the shortest double that reads as
 * the exact decimal (minor / 10^exponent is correctly rounded). */
static void
add_amount (JsonBuilder     *builder,
            const char      *name,
            gint64           minor,
            const PdIso4217 *currency)
{
  json_builder_set_member_name (builder, name);
  if (currency->exponent == 0)
    json_builder_add_int_value (builder, minor);
  else
    json_builder_add_double_value (builder, (double) minor / (double) minor_scale (currency->exponent));
}

/* Zero is no time at all: null. */
static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       unix_time)
{
  g_autofree char *text = unix_time != 0 ? pd_sandbox_format_time (unix_time) : NULL;

  add_string (builder, name, text);
}

/* Starts {"success": true, "data": … ; the caller adds data and ends the object. */
static JsonBuilder *
begin_success (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "data");
  return builder;
}

static void
add_subscription (JsonBuilder  *builder,
                  Subscription *sub)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", sub->id);
  add_string (builder, "planId", sub->plan->id);
  add_string (builder, "customerEmail", sub->customer_email);
  add_string (builder, "status", sub_status_names[sub->status]);
  add_time (builder, "currentPeriodStart", sub->period_start);
  add_time (builder, "currentPeriodEnd", sub->period_end);
  add_time (builder, "createdAt", sub->created_at);
  json_builder_end_object (builder);
}

static void
reply_error (SoupServerMessage *msg,
             const GError      *error)
{
  g_assert (error->domain == PAYS_ERROR);
  g_assert ((guint) error->code < G_N_ELEMENTS (pays_errors));

  pd_sandbox_reply_paysgator_error (msg, pays_errors[error->code].status,
                                    pays_errors[error->code].code, error->message);
}

/* The API */

static gboolean
authenticate (SoupServerMessage  *msg,
              gboolean           *live_out,
              GError            **error)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Api-Key");

  if (key == NULL || key[0] == '\0')
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_UNAUTHORIZED,
                           "Missing API key: send it in the X-Api-Key header");
      return FALSE;
    }
  if (g_str_equal (key, PD_SANDBOX_PAYSGATOR_LIVE_KEY))
    *live_out = TRUE;
  else if (g_str_equal (key, PD_SANDBOX_PAYSGATOR_TEST_KEY))
    *live_out = FALSE;
  else
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_UNAUTHORIZED, "Invalid API key");
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
read_body (SoupServerMessage  *msg,
           GError            **error)
{
  JsonObject *object = NULL;

  switch (pd_sandbox_parse_json_body (msg, &object))
    {
    case PD_SANDBOX_BODY_OK:
      return object;
    case PD_SANDBOX_BODY_EMPTY:
      /* Then each required field says that it is missing. */
      return json_object_new ();
    case PD_SANDBOX_BODY_TOO_LARGE:
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_BODY_TOO_LARGE,
                   "The request body is larger than %d bytes", PD_SANDBOX_MAX_BODY);
      return NULL;
    case PD_SANDBOX_BODY_TOO_DEEP:
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "The request body is nested deeper than %d levels", PD_SANDBOX_MAX_DEPTH);
      return NULL;
    case PD_SANDBOX_BODY_NOT_OBJECT:
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "The request body must be a JSON object");
      return NULL;
    case PD_SANDBOX_BODY_MALFORMED:
    default:
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "The request body is not valid JSON");
      return NULL;
    }
}

static gboolean
check_mode (gboolean     live,
            gboolean     object_live,
            const char  *what,
            GError     **error)
{
  if (live == object_live)
    return TRUE;
  g_set_error (error, PAYS_ERROR, PAYS_ERROR_MODE_MISMATCH,
               "This %s belongs to %s mode; the API key is a %s key",
               what, mode_name (object_live), mode_name (live));
  return FALSE;
}

static char *
checkout_url (PdSandboxPaysgator *self,
              const char         *page_path)
{
  g_autofree char *origin = pd_sandbox_dup_origin (self->sandbox);

  return g_strconcat (origin, PD_SANDBOX_PAYSGATOR_PREFIX, page_path, NULL);
}

static JsonBuilder *
api_payment_create (PdSandboxPaysgator  *self,
                    SoupServerMessage   *msg,
                    gboolean             live,
                    const char          *id,
                    JsonObject          *body,
                    GError             **error)
{
  const PdIso4217 *currency;
  const char *currency_code;
  const char *return_url;
  const char *external_id;
  JsonObject *metadata;
  guint methods;
  guint fields;
  gint64 amount;
  PaymentLink *link;
  g_autofree char *page_path = NULL;
  g_autofree char *url = NULL;
  JsonBuilder *builder;

  if (member (body, "amount") == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount is required");
      return NULL;
    }
  if (!read_string (body, "currency", TRUE, &currency_code, error))
    return NULL;
  currency = pd_iso4217_lookup (currency_code);
  if (currency == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "currency must be an ISO 4217 code such as MZN");
      return NULL;
    }
  if (!read_amount (body, currency, &amount, error))
    return NULL;

  {
    const char *method_names[] = { "MPESA", "CARD" };

    if (!read_choices (body, "payment_methods", method_names, G_N_ELEMENTS (method_names), &methods, error))
      return NULL;
    if (member (body, "payment_methods") != NULL && methods == 0)
      {
        g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                             "payment_methods must name at least one method (MPESA, CARD)");
        return NULL;
      }
    if (methods == 0)
      methods = ALL_METHODS;
  }

  if (!read_string (body, "returnUrl", FALSE, &return_url, error))
    return NULL;
  if (return_url != NULL && !url_valid (return_url))
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "returnUrl must be an absolute http or https URL");
      return NULL;
    }

  if (!read_choices (body, "fields", customer_fields, G_N_ELEMENTS (customer_fields), &fields, error)
      || !read_string (body, "externalTransactionId", FALSE, &external_id, error)
      /* Accepted and checked; nothing in the API gives metadata back. */
      || !read_object (body, "metadata", &metadata, error))
    return NULL;

  if (!g_str_equal (currency->code, WALLET_CURRENCY))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_CURRENCY_MISMATCH,
                   "The currency %s does not match the wallet's currency %s",
                   currency->code, WALLET_CURRENCY);
      return NULL;
    }

  link = payment_link_new (self, live, amount, currency, methods, fields,
                           return_url, external_id, sandbox_now (self));
  page_path = g_strconcat ("/checkout/", link->id, NULL);
  url = checkout_url (self, page_path);

  builder = begin_success ();
  json_builder_begin_object (builder);
  add_string (builder, "paymentlinkId", link->id);
  add_string (builder, "checkoutUrl", url);
  add_string (builder, "transactionId", link->transaction->id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return builder;
}

/* customer is optional; what it holds must be strings, and a valid email. */
static gboolean
check_customer (JsonObject  *body,
                GError     **error)
{
  const char *names[] = { "name", "email", "phone", "address", "country" };
  JsonObject *customer;

  if (!read_object (body, "customer", &customer, error))
    return FALSE;
  if (customer == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value;

      if (!read_string (customer, names[i], FALSE, &value, error))
        {
          g_prefix_error (error, "customer.");
          return FALSE;
        }
      if (g_str_equal (names[i], "email") && value != NULL && !email_valid (value))
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                               "customer.email must be a valid email address");
          return FALSE;
        }
    }

  return TRUE;
}

static JsonBuilder *
api_payment_confirm (PdSandboxPaysgator  *self,
                     SoupServerMessage   *msg,
                     gboolean             live,
                     const char          *id,
                     JsonObject          *body,
                     GError             **error)
{
  const char *link_id;
  const char *method_text;
  const char *phone = NULL;
  JsonObject *payment_fields;
  PaymentLink *link;
  Method method;
  Transaction *txn;
  JsonBuilder *builder;

  if (!read_string (body, "paymentLinkId", TRUE, &link_id, error)
      || !read_string (body, "paymentMethod", TRUE, &method_text, error))
    return NULL;

  method = method_from_name (method_text);
  if (method == METHOD_NONE)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "paymentMethod must be MPESA or CARD");
      return NULL;
    }

  if (!read_object (body, "payment_fields", &payment_fields, error))
    return NULL;
  if (payment_fields != NULL && !read_string (payment_fields, "phoneNumber", FALSE, &phone, error))
    {
      g_prefix_error (error, "payment_fields.");
      return NULL;
    }
  if (!check_customer (body, error))
    return NULL;

  link = g_hash_table_lookup (self->links, link_id);
  if (link == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Payment link not found");
      return NULL;
    }
  if (!check_mode (live, link->live, "payment link", error)
      || !confirm_link (self, link, method, phone, error))
    return NULL;

  txn = link->transaction;
  builder = begin_success ();
  json_builder_begin_object (builder);
  add_string (builder, "transactionId", txn->id);
  add_amount (builder, "fee", txn->fee, txn->currency);
  add_amount (builder, "netAmount", txn->amount - txn->fee, txn->currency);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return builder;
}

static GHashTable *
read_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query == NULL)
    return g_hash_table_new (g_str_hash, g_str_equal);
  return soup_form_decode (query);
}

static JsonBuilder *
api_wallet_balance (PdSandboxPaysgator  *self,
                    SoupServerMessage   *msg,
                    gboolean             live,
                    const char          *id,
                    JsonObject          *body,
                    GError             **error)
{
  g_autoptr(GHashTable) query = read_query (msg);
  const char *wanted = g_hash_table_lookup (query, "currency");
  const PdIso4217 *currency = wallet_currency ();
  char buf[PD_DECIMAL_BUF_SIZE];
  JsonBuilder *builder;

  /* Beyond the spec: a merchant has one wallet per currency, and this
   * sandbox only the MZN one, so asking for another is WALLET_NOT_FOUND. */
  if (wanted != NULL && wanted[0] != '\0')
    {
      if (pd_iso4217_lookup (wanted) == NULL)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                               "currency must be an ISO 4217 code such as MZN");
          return NULL;
        }
      if (!g_str_equal (wanted, currency->code))
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_WALLET_NOT_FOUND,
                       "No %s wallet: this key's wallet holds %s", wanted, currency->code);
          return NULL;
        }
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "walletId", wallet_ids[live ? 1 : 0]);
  add_string (builder, "currency", currency->code);
  add_string (builder, "balance", pd_decimal_format (self->balance[live ? 1 : 0], currency->exponent, buf));
  add_string (builder, "mode", mode_name (live));
  json_builder_end_object (builder);
  return builder;
}

static JsonBuilder *
api_transaction_get (PdSandboxPaysgator  *self,
                     SoupServerMessage   *msg,
                     gboolean             live,
                     const char          *id,
                     JsonObject          *body,
                     GError             **error)
{
  Transaction *txn = g_hash_table_lookup (self->transactions, id);
  JsonBuilder *builder;

  if (txn == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Transaction not found");
      return NULL;
    }
  if (!check_mode (live, txn->live, "transaction", error))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "id", txn->id);
  add_amount (builder, "amount", txn->amount, txn->currency);
  add_string (builder, "currency", txn->currency->code);
  add_string (builder, "status", txn_status_names[txn->status]);
  add_string (builder, "method", method_name (txn->method));
  add_time (builder, "createdAt", txn->created_at);
  add_string (builder, "mode", mode_name (txn->live));
  json_builder_end_object (builder);
  return builder;
}

static JsonBuilder *
api_subscription_create (PdSandboxPaysgator  *self,
                         SoupServerMessage   *msg,
                         gboolean             live,
                         const char          *id,
                         JsonObject          *body,
                         GError             **error)
{
  const char *plan_id;
  const char *email;
  const char *name;
  JsonObject *metadata;
  const Plan *plan;
  Subscription *sub;
  g_autofree char *page_path = NULL;
  g_autofree char *url = NULL;
  JsonBuilder *builder;

  if (!read_string (body, "planId", TRUE, &plan_id, error)
      || !read_string (body, "customerEmail", TRUE, &email, error))
    return NULL;
  if (!email_valid (email))
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "customerEmail must be a valid email address");
      return NULL;
    }
  if (!read_string (body, "customerName", FALSE, &name, error)
      /* Accepted and checked; nothing in the API gives metadata back. */
      || !read_object (body, "metadata", &metadata, error))
    return NULL;

  plan = plan_lookup (plan_id);
  if (plan == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Plan not found");
      return NULL;
    }

  sub = subscription_new (self, live, plan, email, name, sandbox_now (self));
  page_path = g_strconcat ("/subscription/", sub->id, "/checkout", NULL);
  url = checkout_url (self, page_path);

  builder = begin_success ();
  json_builder_begin_object (builder);
  add_string (builder, "subscriptionId", sub->id);
  add_string (builder, "checkoutUrl", url);
  add_string (builder, "status", sub_status_names[sub->status]);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return builder;
}

static Subscription *
find_subscription (PdSandboxPaysgator  *self,
                   gboolean             live,
                   const char          *id,
                   GError             **error)
{
  Subscription *sub = g_hash_table_lookup (self->subscriptions, id);

  if (sub == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Subscription not found");
      return NULL;
    }
  if (!check_mode (live, sub->live, "subscription", error))
    return NULL;

  subscription_refresh (self, sub);
  return sub;
}

static JsonBuilder *
api_subscription_get (PdSandboxPaysgator  *self,
                      SoupServerMessage   *msg,
                      gboolean             live,
                      const char          *id,
                      JsonObject          *body,
                      GError             **error)
{
  Subscription *sub = find_subscription (self, live, id, error);
  JsonBuilder *builder;

  if (sub == NULL)
    return NULL;

  builder = begin_success ();
  add_subscription (builder, sub);
  json_builder_end_object (builder);
  return builder;
}

/* Newest first; among equal times, the one created last first. */
static int
compare_newest_first (gint64  time_a,
                      guint64 seq_a,
                      gint64  time_b,
                      guint64 seq_b)
{
  if (time_a != time_b)
    return time_a < time_b ? 1 : -1;
  return seq_a < seq_b ? 1 : (seq_a > seq_b ? -1 : 0);
}

static int
compare_subscriptions (gconstpointer a,
                       gconstpointer b)
{
  const Subscription *sa = *(Subscription * const *) a;
  const Subscription *sb = *(Subscription * const *) b;

  return compare_newest_first (sa->created_at, sa->seq, sb->created_at, sb->seq);
}

static int
compare_transactions (gconstpointer a,
                      gconstpointer b)
{
  const Transaction *ta = *(Transaction * const *) a;
  const Transaction *tb = *(Transaction * const *) b;

  return compare_newest_first (ta->created_at, ta->seq, tb->created_at, tb->seq);
}

/* The subscriptions of one mode, newest first, each refreshed. */
static GPtrArray *
subscriptions_of_mode (PdSandboxPaysgator *self,
                       gboolean            live)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscription *sub = value;

      if (sub->live != live)
        continue;
      subscription_refresh (self, sub);
      g_ptr_array_add (list, sub);
    }
  g_ptr_array_sort (list, compare_subscriptions);
  return list;
}

static JsonBuilder *
api_subscription_list (PdSandboxPaysgator  *self,
                       SoupServerMessage   *msg,
                       gboolean             live,
                       const char          *id,
                       JsonObject          *body,
                       GError             **error)
{
  g_autoptr(GHashTable) query = read_query (msg);
  const char *email = g_hash_table_lookup (query, "customerEmail");
  const char *status_text = g_hash_table_lookup (query, "status");
  const char *plan_id = g_hash_table_lookup (query, "planId");
  g_autoptr(GPtrArray) list = NULL;
  gint status = -1;
  JsonBuilder *builder;

  if (status_text != NULL && status_text[0] != '\0')
    {
      for (guint i = 0; i < G_N_ELEMENTS (sub_status_names); i++)
        if (g_str_equal (status_text, sub_status_names[i]))
          status = (gint) i;
      if (status < 0)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                               "status must be one of ACTIVE, CANCELED, PAST_DUE, PAUSED");
          return NULL;
        }
    }

  list = subscriptions_of_mode (self, live);
  builder = begin_success ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      Subscription *sub = g_ptr_array_index (list, i);

      if (email != NULL && email[0] != '\0' && g_ascii_strcasecmp (email, sub->customer_email) != 0)
        continue;
      if (status >= 0 && sub->status != (SubStatus) status)
        continue;
      if (plan_id != NULL && plan_id[0] != '\0' && !g_str_equal (plan_id, sub->plan->id))
        continue;
      add_subscription (builder, sub);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return builder;
}

static gboolean
subscription_apply (PdSandboxPaysgator  *self,
                    Subscription        *sub,
                    const char          *action,
                    GError             **error)
{
  const char *status = sub_status_names[sub->status];

  if (g_str_equal (action, "cancel"))
    {
      if (sub->status == SUB_CANCELED)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                               "The subscription is already CANCELED");
          return FALSE;
        }
      sub->status = SUB_CANCELED;
    }
  else if (g_str_equal (action, "pause"))
    {
      if (sub->status != SUB_ACTIVE && sub->status != SUB_PAST_DUE)
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                       "Only an ACTIVE or PAST_DUE subscription can be paused; this one is %s", status);
          return FALSE;
        }
      sub->status = SUB_PAUSED;
    }
  else if (g_str_equal (action, "resume"))
    {
      if (sub->status != SUB_PAUSED)
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                       "Only a PAUSED subscription can be resumed; this one is %s", status);
          return FALSE;
        }
      if (sub->period_end == 0)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                               "The subscription has not been paid yet: the customer pays on its checkoutUrl");
          return FALSE;
        }
      sub->status = SUB_ACTIVE;
      subscription_refresh (self, sub);
    }
  else
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                           "action must be one of cancel, pause, resume");
      return FALSE;
    }

  return TRUE;
}

static JsonBuilder *
api_subscription_update (PdSandboxPaysgator  *self,
                         SoupServerMessage   *msg,
                         gboolean             live,
                         const char          *id,
                         JsonObject          *body,
                         GError             **error)
{
  const char *action;
  Subscription *sub;
  JsonBuilder *builder;

  if (!read_string (body, "action", TRUE, &action, error))
    return NULL;

  sub = find_subscription (self, live, id, error);
  if (sub == NULL || !subscription_apply (self, sub, action, error))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "id", sub->id);
  add_string (builder, "status", sub_status_names[sub->status]);
  add_time (builder, "currentPeriodEnd", sub->period_end);
  json_builder_end_object (builder);
  return builder;
}

typedef JsonBuilder *(*ApiHandler) (PdSandboxPaysgator  *self,
                                    SoupServerMessage   *msg,
                                    gboolean             live,
                                    const char          *id,
                                    JsonObject          *body,
                                    GError             **error);

typedef struct
{
  const char *method;
  const char *pattern;          /* under /api/v1/; "{id}" is one path segment */
  ApiHandler  handler;
} ApiRoute;

static const ApiRoute api_routes[] = {
  { "POST", "payment/create", api_payment_create },
  { "POST", "payment/confirm", api_payment_confirm },
  { "GET", "wallet/balance", api_wallet_balance },
  { "GET", "transactions/{id}", api_transaction_get },
  { "POST", "subscription/create", api_subscription_create },
  { "GET", "subscription/{id}", api_subscription_get },
  { "GET", "subscriptions", api_subscription_list },
  { "PATCH", "subscriptions/{id}", api_subscription_update },
};

static gboolean
route_matches (const char  *pattern,
               const char  *path,
               char       **id_out)
{
  const char *slot = strstr (pattern, "{id}");
  const char *id;

  if (slot == NULL)
    return g_str_equal (pattern, path);

  if (strncmp (pattern, path, (gsize) (slot - pattern)) != 0)
    return FALSE;
  id = path + (slot - pattern);
  if (id[0] == '\0' || strchr (id, '/') != NULL)
    return FALSE;

  *id_out = g_strdup (id);
  return TRUE;
}

static void
handle_api (PdSandboxPaysgator *self,
            SoupServerMessage  *msg,
            const char         *api_path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GString) allow = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *id = NULL;
  const ApiRoute *route = NULL;
  gboolean live = FALSE;

  /* Fixed paths first, so that "subscription/create" is never an id. */
  for (guint pass = 0; pass < 2 && route == NULL && allow->len == 0; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (api_routes) && route == NULL; i++)
      {
        g_autofree char *route_id = NULL;
        gboolean has_slot = strstr (api_routes[i].pattern, "{id}") != NULL;

        if (has_slot != (pass == 1) || !route_matches (api_routes[i].pattern, api_path, &route_id))
          continue;
        if (g_str_equal (method, api_routes[i].method))
          {
            route = &api_routes[i];
            id = g_steal_pointer (&route_id);
          }
        else
          g_string_append_printf (allow, "%s%s", allow->len > 0 ? ", " : "", api_routes[i].method);
      }

  if (route == NULL && allow->len == 0)
    {
      pd_sandbox_reply_paysgator_error (msg, SOUP_STATUS_NOT_FOUND, "NOT_FOUND", "No such endpoint");
      return;
    }
  if (route == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow->str);
      g_set_error (&error, PAYS_ERROR, PAYS_ERROR_METHOD_NOT_ALLOWED,
                   "This endpoint only accepts %s", allow->str);
      reply_error (msg, error);
      return;
    }

  if (!authenticate (msg, &live, &error)
      || (!g_str_equal (route->method, "GET") && (body = read_body (msg, &error)) == NULL)
      || (builder = route->handler (self, msg, live, id, body, &error)) == NULL)
    {
      reply_error (msg, error);
      return;
    }

  pd_sandbox_reply_json (msg, SOUP_STATUS_OK, builder);
}

/* The checkout pages */

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            const char        *title,
            const char        *body_html)
{
  g_autofree char *html = pd_sandbox_html_page (title, body_html);

  pd_sandbox_reply_html (msg, status, html);
}

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *escaped = pd_sandbox_html_escape (text);

  g_string_append (html, escaped);
}

static void
append_paragraph (GString    *html,
                  const char *css_class,
                  const char *text)
{
  g_string_append_printf (html, "<p class=\"%s\">", css_class);
  append_escaped (html, text);
  g_string_append (html, "</p>\n");
}

static const char *
form_value (GHashTable *form,
            const char *name)
{
  const char *value = form != NULL ? g_hash_table_lookup (form, name) : NULL;

  return value != NULL ? value : "";
}

/* The payment method part of both checkout forms; Enter in the phone number
 * submits the first button, M-Pesa. */
static void
append_method_choice (GString    *html,
                      guint       methods,
                      GHashTable *form)
{
  if (methods & METHOD_MPESA)
    {
      g_string_append (html,
                       "<fieldset>\n<legend>M-Pesa</legend>\n"
                       "<label for=\"phoneNumber\">M-Pesa number</label>\n"
                       "<input id=\"phoneNumber\" name=\"phoneNumber\" type=\"tel\" "
                       "autocomplete=\"tel\" placeholder=\"84 123 4567\" value=\"");
      append_escaped (html, form_value (form, "phoneNumber"));
      g_string_append (html,
                       "\">\n<button class=\"primary\" type=\"submit\" name=\"paymentMethod\" value=\"MPESA\">"
                       "Pay with M-Pesa</button>\n</fieldset>\n");
    }
  if (methods & METHOD_CARD)
    g_string_append (html,
                     "<fieldset>\n<legend>Card</legend>\n"
                     "<p class=\"note\">Sandbox card payments always succeed.</p>\n"
                     "<button class=\"primary\" type=\"submit\" name=\"paymentMethod\" value=\"CARD\">"
                     "Pay by card</button>\n</fieldset>\n");
}

static GHashTable *
read_form (SoupServerMessage  *msg,
           GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gsize length;
  const char *data;

  if (body->length > PD_SANDBOX_MAX_BODY)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_BODY_TOO_LARGE,
                   "The form is larger than %d bytes", PD_SANDBOX_MAX_BODY);
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &length);
  text = g_strndup (data != NULL ? data : "", length);
  return soup_form_decode (text);
}

static void
reply_page_error (SoupServerMessage *msg,
                  const char        *title,
                  const GError      *error)
{
  g_autoptr(GString) html = g_string_new (NULL);

  append_paragraph (html, "error", error->message);
  reply_page (msg, pays_errors[error->code].status, title, html->str);
}

/* Where the customer goes after paying: @return_url with transactionId added
 * to its query. */
static char *
return_url_with (const char *return_url,
                 const char *transaction_id)
{
  g_autoptr(GUri) uri = g_uri_parse (return_url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) result = NULL;
  g_autofree char *query = NULL;
  const char *old_query;

  g_return_val_if_fail (uri != NULL, NULL);

  old_query = g_uri_get_query (uri);
  if (old_query != NULL && old_query[0] != '\0')
    query = g_strconcat (old_query, "&transactionId=", transaction_id, NULL);
  else
    query = g_strconcat ("transactionId=", transaction_id, NULL);

  result = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                        g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                        query, g_uri_get_fragment (uri));
  return g_uri_to_string (result);
}

static void
show_link_form (SoupServerMessage *msg,
                guint              status,
                PaymentLink       *link,
                const char        *notice,
                GHashTable        *form)
{
  Transaction *txn = link->transaction;
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *amount = format_amount (txn->amount, txn->currency);
  g_autofree char *mode = g_strdup_printf ("%s mode", mode_name (link->live));

  append_paragraph (html, "amount", amount);
  if (link->external_id != NULL)
    {
      g_autofree char *reference = g_strdup_printf ("Reference %s", link->external_id);

      append_paragraph (html, "note", reference);
    }
  append_paragraph (html, "note", mode);
  if (notice != NULL)
    append_paragraph (html, "error", notice);

  g_string_append (html, "<form method=\"post\" action=\"" PD_SANDBOX_PAYSGATOR_PREFIX "/checkout/");
  append_escaped (html, link->id);
  g_string_append (html, "\">\n");

  for (guint i = 0; i < G_N_ELEMENTS (customer_fields); i++)
    {
      const char *name = customer_fields[i];

      if ((link->fields & (1u << i)) == 0)
        continue;
      g_string_append_printf (html,
                              "<label for=\"%s\">Your %s</label>\n"
                              "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" required value=\"",
                              name, name, name, name,
                              g_str_equal (name, "email") ? "email" : g_str_equal (name, "phone") ? "tel" : "text",
                              g_str_equal (name, "phone") ? "tel" : g_str_equal (name, "address") ? "street-address" : name);
      append_escaped (html, form_value (form, name));
      g_string_append (html, "\">\n");
    }

  append_method_choice (html, link->methods, form);
  g_string_append (html, "</form>\n");
  reply_page (msg, status, "Pay", html->str);
}

static void
show_link_result (SoupServerMessage *msg,
                  guint              status,
                  PaymentLink       *link,
                  const char        *notice)
{
  Transaction *txn = link->transaction;
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *amount = format_amount (txn->amount, txn->currency);
  g_autofree char *id_line = g_strdup_printf ("Transaction %s", txn->id);
  const char *title;

  switch (txn->status)
    {
    case TXN_SUCCESS:
      title = "Payment successful";
      break;
    case TXN_FAILED:
      title = "Payment failed";
      break;
    case TXN_REFUNDED:
      title = "Payment refunded";
      break;
    case TXN_PENDING:
    default:
      title = "Payment pending";
      break;
    }

  append_paragraph (html, "amount", amount);
  if (notice != NULL)
    append_paragraph (html, "error", notice);
  append_paragraph (html, "status", title);
  append_paragraph (html, "transaction", id_line);
  reply_page (msg, status, title, html->str);
}

static void
post_link_checkout (PdSandboxPaysgator *self,
                    SoupServerMessage  *msg,
                    PaymentLink        *link)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  Method method;

  if (link->transaction->status != TXN_PENDING)
    {
      show_link_result (msg, SOUP_STATUS_BAD_REQUEST, link, "This payment link is no longer payable.");
      return;
    }

  form = read_form (msg, &error);
  if (form == NULL)
    {
      reply_page_error (msg, "Pay", error);
      return;
    }

  method = method_from_name (form_value (form, "paymentMethod"));
  if (method == METHOD_NONE)
    {
      show_link_form (msg, SOUP_STATUS_BAD_REQUEST, link, "Choose how to pay.", form);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (customer_fields); i++)
    if ((link->fields & (1u << i)) != 0 && form_value (form, customer_fields[i])[0] == '\0')
      {
        g_autofree char *notice = g_strdup_printf ("Your %s is required.", customer_fields[i]);

        show_link_form (msg, SOUP_STATUS_BAD_REQUEST, link, notice, form);
        return;
      }
  if (form_value (form, "email")[0] != '\0' && !email_valid (form_value (form, "email")))
    {
      show_link_form (msg, SOUP_STATUS_BAD_REQUEST, link, "Your email is not a valid address.", form);
      return;
    }

  if (!confirm_link (self, link, method, form_value (form, "phoneNumber"), &error)
      && !g_error_matches (error, PAYS_ERROR, PAYS_ERROR_PAYMENT_FAILED))
    {
      show_link_form (msg, pays_errors[error->code].status, link, error->message, form);
      return;
    }

  /* Paid or declined, the merchant's site learns which from the API. */
  if (link->return_url != NULL)
    {
      g_autofree char *location = return_url_with (link->return_url, link->transaction->id);

      pd_sandbox_reply_redirect (msg, location);
      return;
    }

  show_link_result (msg, error != NULL ? pays_errors[error->code].status : SOUP_STATUS_OK,
                    link, error != NULL ? error->message : NULL);
}

static void
handle_link_checkout (PdSandboxPaysgator *self,
                      SoupServerMessage  *msg,
                      const char         *link_id)
{
  const char *method = soup_server_message_get_method (msg);
  PaymentLink *link = g_hash_table_lookup (self->links, link_id);

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, POST");
      reply_page (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed",
                  "<p class=\"error\">This page accepts GET and POST only.</p>");
      return;
    }
  if (link == NULL)
    {
      reply_page (msg, SOUP_STATUS_NOT_FOUND, "Payment link not found",
                  "<p class=\"error\">This payment link does not exist.</p>");
      return;
    }

  if (g_str_equal (method, "POST"))
    post_link_checkout (self, msg, link);
  else if (link->transaction->status == TXN_PENDING)
    show_link_form (msg, SOUP_STATUS_OK, link, NULL, NULL);
  else
    show_link_result (msg, SOUP_STATUS_OK, link, NULL);
}

static void
show_subscription_page (PdSandboxPaysgator *self,
                        SoupServerMessage  *msg,
                        guint               status,
                        Subscription       *sub,
                        const char         *notice,
                        GHashTable         *form)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *amount = format_amount (sub->plan->amount, wallet_currency ());
  g_autofree char *price = g_strdup_printf ("%s, %s per %s", sub->plan->name, amount,
                                            sub->plan->yearly ? "year" : "month");
  g_autofree char *customer = g_strdup_printf ("For %s%s%s%s", sub->customer_name ? sub->customer_name : "",
                                               sub->customer_name ? " <" : "", sub->customer_email,
                                               sub->customer_name ? ">" : "");
  g_autofree char *state = NULL;

  if (sub->period_end != 0)
    {
      g_autofree char *end = pd_sandbox_format_time (sub->period_end);

      state = g_strdup_printf ("Subscription %s, current period ends %s", sub_status_names[sub->status], end);
    }
  else
    state = g_strdup_printf ("Subscription %s, not paid yet", sub_status_names[sub->status]);

  append_paragraph (html, "amount", price);
  append_paragraph (html, "customer", customer);
  append_paragraph (html, "status", state);
  if (notice != NULL)
    append_paragraph (html, "error", notice);

  if (subscription_payable (sub))
    {
      g_string_append (html, "<form method=\"post\" action=\"" PD_SANDBOX_PAYSGATOR_PREFIX "/subscription/");
      append_escaped (html, sub->id);
      g_string_append (html, "/checkout\">\n");
      append_method_choice (html, ALL_METHODS, form);
      g_string_append (html, "</form>\n");
    }

  reply_page (msg, status, "Subscribe", html->str);
}

static void
post_subscription_checkout (PdSandboxPaysgator *self,
                            SoupServerMessage  *msg,
                            Subscription       *sub)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  gboolean declined;
  Method method;

  if (!subscription_payable (sub))
    {
      show_subscription_page (self, msg, SOUP_STATUS_BAD_REQUEST, sub,
                              "There is nothing to pay on this subscription.", NULL);
      return;
    }

  form = read_form (msg, &error);
  if (form == NULL)
    {
      reply_page_error (msg, "Subscribe", error);
      return;
    }

  method = method_from_name (form_value (form, "paymentMethod"));
  if (method == METHOD_NONE)
    {
      show_subscription_page (self, msg, SOUP_STATUS_BAD_REQUEST, sub, "Choose how to pay.", form);
      return;
    }
  if (!check_payer (method, form_value (form, "phoneNumber"), &declined, &error))
    {
      show_subscription_page (self, msg, pays_errors[error->code].status, sub, error->message, form);
      return;
    }

  subscription_pay (self, sub, method, !declined, sandbox_now (self));
  if (declined)
    show_subscription_page (self, msg, SOUP_STATUS_PAYMENT_REQUIRED, sub,
                            "M-Pesa declined the payment (sandbox numbers ending in 0000 always fail).", form);
  else
    show_subscription_page (self, msg, SOUP_STATUS_OK, sub, NULL, NULL);
}

static void
handle_subscription_checkout (PdSandboxPaysgator *self,
                              SoupServerMessage  *msg,
                              const char         *sub_id)
{
  const char *method = soup_server_message_get_method (msg);
  Subscription *sub = g_hash_table_lookup (self->subscriptions, sub_id);

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, POST");
      reply_page (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed",
                  "<p class=\"error\">This page accepts GET and POST only.</p>");
      return;
    }
  if (sub == NULL)
    {
      reply_page (msg, SOUP_STATUS_NOT_FOUND, "Subscription not found",
                  "<p class=\"error\">This subscription does not exist.</p>");
      return;
    }

  subscription_refresh (self, sub);
  if (g_str_equal (method, "POST"))
    post_subscription_checkout (self, msg, sub);
  else
    show_subscription_page (self, msg, SOUP_STATUS_OK, sub, NULL, NULL);
}

/* The segment of @path between @prefix and @suffix, if it is one segment. */
static char *
path_segment (const char *path,
              const char *prefix,
              const char *suffix)
{
  gsize path_len = strlen (path);
  gsize prefix_len = strlen (prefix);
  gsize suffix_len = strlen (suffix);
  g_autofree char *segment = NULL;

  if (path_len <= prefix_len + suffix_len
      || !g_str_has_prefix (path, prefix) || !g_str_has_suffix (path, suffix))
    return NULL;

  segment = g_strndup (path + prefix_len, path_len - prefix_len - suffix_len);
  return strchr (segment, '/') == NULL ? g_steal_pointer (&segment) : NULL;
}

void
pd_sandbox_paysgator_handle (PdSandboxPaysgator *self,
                             SoupServerMessage  *msg,
                             const char         *path)
{
  g_autofree char *link_id = NULL;
  g_autofree char *sub_id = NULL;

  g_return_if_fail (PD_IS_SANDBOX_PAYSGATOR (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  if (g_str_has_prefix (path, PD_SANDBOX_API_PATH "/"))
    handle_api (self, msg, path + strlen (PD_SANDBOX_API_PATH "/"));
  else if ((link_id = path_segment (path, "/checkout/", "")) != NULL)
    handle_link_checkout (self, msg, link_id);
  else if ((sub_id = path_segment (path, "/subscription/", "/checkout")) != NULL)
    handle_subscription_checkout (self, msg, sub_id);
  else
    pd_sandbox_reply_paysgator_error (msg, SOUP_STATUS_NOT_FOUND, "NOT_FOUND", "No such endpoint");
}

/* Demo data */

static const char * const demo_customers[][2] = {
  { "Ana Machava", "ana.machava@example.co.mz" },
  { "Bruno Cossa", "bruno.cossa@example.co.mz" },
  { "Carla Sitoe", "carla.sitoe@example.co.mz" },
  { "Dercio Nhantumbo", "dercio.nhantumbo@example.co.mz" },
  { "Elsa Mondlane", "elsa.mondlane@example.co.mz" },
  { "Fernando Tembe", "fernando.tembe@example.co.mz" },
  { "Graca Muianga", "graca.muianga@example.co.mz" },
  { "Helio Bila", "helio.bila@example.co.mz" },
};

/* Every status, with a payment that many days ago (0: never paid). */
static const struct
{
  guint     plan;
  SubStatus status;
  guint     paid_days_ago;
} demo_subscriptions[] = {
  { 0, SUB_ACTIVE, 3 },
  { 1, SUB_ACTIVE, 12 },
  { 1, SUB_ACTIVE, 25 },
  { 2, SUB_ACTIVE, 40 },
  { 0, SUB_PAST_DUE, 38 },
  { 1, SUB_PAST_DUE, 50 },
  { 1, SUB_PAUSED, 9 },
  { 2, SUB_PAUSED, 0 },
  { 0, SUB_CANCELED, 45 },
  { 2, SUB_CANCELED, 0 },
};

#define DEMO_PAYMENT_LINKS 30
#define DAY (24 * 60 * 60)

static void
seed_mode (PdSandboxPaysgator *self,
           gboolean            live,
           GRand              *rand,
           gint64              now)
{
  const PdIso4217 *mzn = wallet_currency ();

  for (guint i = 0; i < DEMO_PAYMENT_LINKS; i++)
    {
      gint64 created = now - g_rand_int_range (rand, 3600, 60 * DAY);
      gint64 amount = (gint64) g_rand_int_range (rand, 50, 25000) * 100
                      + (i % 3 == 0 ? 0 : g_rand_int_range (rand, 0, 100));
      Method method = g_rand_boolean (rand) ? METHOD_MPESA : METHOD_CARD;
      g_autofree char *reference = g_strdup_printf ("%s-%04u", live ? "ORD" : "TST", 1001 + i);
      PaymentLink *link = payment_link_new (self, live, amount, mzn, ALL_METHODS, i % 4 == 0 ? 0x3 : 0,
                                            i % 5 == 0 ? "https://shop.example.co.mz/paid" : NULL,
                                            reference, created);
      Transaction *txn = link->transaction;

      /* Six in ten paid, two pending, one failed, one refunded. */
      switch (i % 10)
        {
        case 6:
        case 9:
          break;
        case 7:
          transaction_settle (self, txn, method, FALSE);
          break;
        case 8:
          transaction_settle (self, txn, method, TRUE);
          txn->status = TXN_REFUNDED;
          self->balance[live ? 1 : 0] -= txn->amount - txn->fee;
          break;
        default:
          transaction_settle (self, txn, method, TRUE);
          break;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_subscriptions); i++)
    {
      const char * const *customer = demo_customers[(i + (live ? 3 : 0)) % G_N_ELEMENTS (demo_customers)];
      gint64 paid_at = now - (gint64) demo_subscriptions[i].paid_days_ago * DAY - g_rand_int_range (rand, 0, DAY / 2);
      gint64 created = demo_subscriptions[i].paid_days_ago > 0 ? paid_at - 600 : now - 2 * DAY;
      Subscription *sub = subscription_new (self, live, &plans[demo_subscriptions[i].plan],
                                            customer[1], customer[0], created);

      if (demo_subscriptions[i].paid_days_ago > 0)
        subscription_pay (self, sub, i % 2 == 0 ? METHOD_MPESA : METHOD_CARD, TRUE, paid_at);
      sub->status = demo_subscriptions[i].status;
    }
}

void
pd_sandbox_paysgator_seed_demo (PdSandboxPaysgator *self)
{
  g_autoptr(GRand) rand = NULL;
  gint64 now;

  g_return_if_fail (PD_IS_SANDBOX_PAYSGATOR (self));

  /* A fixed seed: the same demo every time. */
  rand = g_rand_new_with_seed (20250510);
  now = sandbox_now (self);
  self->demo_ids = g_rand_new_with_seed (4217);
  seed_mode (self, TRUE, rand, now);
  seed_mode (self, FALSE, rand, now);
  g_clear_pointer (&self->demo_ids, g_rand_free);
}

GStrv
pd_sandbox_paysgator_dup_plan_ids (PdSandboxPaysgator *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PD_IS_SANDBOX_PAYSGATOR (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    g_strv_builder_add (builder, plans[i].id);
  return g_strv_builder_end (builder);
}

GStrv
pd_sandbox_paysgator_dup_transaction_ids (PdSandboxPaysgator *self,
                                          gboolean            live)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PD_IS_SANDBOX_PAYSGATOR (self), NULL);

  g_hash_table_iter_init (&iter, self->transactions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Transaction *) value)->live == !!live)
      g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_transactions);

  for (guint i = 0; i < list->len; i++)
    g_strv_builder_add (builder, ((Transaction *) g_ptr_array_index (list, i))->id);
  return g_strv_builder_end (builder);
}

GStrv
pd_sandbox_paysgator_dup_subscription_ids (PdSandboxPaysgator *self,
                                           gboolean            live)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PD_IS_SANDBOX_PAYSGATOR (self), NULL);

  list = subscriptions_of_mode (self, !!live);
  for (guint i = 0; i < list->len; i++)
    g_strv_builder_add (builder, ((Subscription *) g_ptr_array_index (list, i))->id);
  return g_strv_builder_end (builder);
}

/* The object */

PdSandboxPaysgator *
pd_sandbox_paysgator_new (PdSandbox *sandbox)
{
  g_return_val_if_fail (PD_IS_SANDBOX (sandbox), NULL);

  return g_object_new (PD_TYPE_SANDBOX_PAYSGATOR, "sandbox", sandbox, NULL);
}

static void
pd_sandbox_paysgator_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  switch (prop_id)
    {
    case PROP_SANDBOX:
      g_value_set_object (value, self->sandbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sandbox_paysgator_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  switch (prop_id)
    {
    case PROP_SANDBOX:
      self->sandbox = g_value_get_object (value);
      g_object_add_weak_pointer (G_OBJECT (self->sandbox), (gpointer *) &self->sandbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sandbox_paysgator_dispose (GObject *object)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  if (self->sandbox != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->sandbox), (gpointer *) &self->sandbox);
      self->sandbox = NULL;
    }

  G_OBJECT_CLASS (pd_sandbox_paysgator_parent_class)->dispose (object);
}

static void
pd_sandbox_paysgator_finalize (GObject *object)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  /* Links point at transactions: drop them first. */
  g_clear_pointer (&self->links, g_hash_table_unref);
  g_clear_pointer (&self->transactions, g_hash_table_unref);
  g_clear_pointer (&self->subscriptions, g_hash_table_unref);

  G_OBJECT_CLASS (pd_sandbox_paysgator_parent_class)->finalize (object);
}

static void
pd_sandbox_paysgator_class_init (PdSandboxPaysgatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pd_sandbox_paysgator_get_property;
  object_class->set_property = pd_sandbox_paysgator_set_property;
  object_class->dispose = pd_sandbox_paysgator_dispose;
  object_class->finalize = pd_sandbox_paysgator_finalize;

  /* Not a reference: the sandbox owns this gateway and outlives it. */
  properties[PROP_SANDBOX] =
    g_param_spec_object ("sandbox", NULL, NULL,
                         PD_TYPE_SANDBOX,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_sandbox_paysgator_init (PdSandboxPaysgator *self)
{
  self->transactions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) transaction_free);
  self->links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) payment_link_free);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) subscription_free);
}
