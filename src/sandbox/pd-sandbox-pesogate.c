/* pd-sandbox-pesogate.c
 *
 * The PesoGate card gateway as its spec describes it: one merchant, keyed card
 * payments through CyberSource or MPGS with a 3-D Secure challenge served by a
 * sandbox ACS, status, and full or partial refunds. Card numbers and CVVs are
 * only read to decide the outcome: a transaction keeps the brand and the last
 * four digits, nothing else of the card.
 */
#define G_LOG_DOMAIN "pd-sandbox-pesogate"

#include "config.h"

#include <string.h>

#include "pd-decimal.h"
#include "pd-iso4217.h"
#include "pd-luhn.h"
#include "pd-sandbox-pesogate.h"

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

G_DEFINE_FINAL_TYPE (PdSandboxPesogate, pd_sandbox_pesogate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SANDBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
transaction_free (Transaction *t)
{
  g_free (t->reference);
  g_free (t->order_id);
  g_free (t->provider);
  g_free (t->customer_email);
  g_free (t->customer_name);
  g_free (t->customer_phone);
  g_free (t->return_url);
  g_free (t->cancel_url);
  g_clear_pointer (&t->metadata, json_object_unref);
  g_free (t->challenge_token);
  g_free (t->decline_reason);
  g_free (t);
}

static void
pd_sandbox_pesogate_dispose (GObject *object)
{
  PdSandboxPesogate *self = PD_SANDBOX_PESOGATE (object);

  g_clear_weak_pointer (&self->sandbox);

  G_OBJECT_CLASS (pd_sandbox_pesogate_parent_class)->dispose (object);
}

static void
pd_sandbox_pesogate_finalize (GObject *object)
{
  PdSandboxPesogate *self = PD_SANDBOX_PESOGATE (object);

  g_clear_pointer (&self->by_reference, g_hash_table_unref);
  g_clear_pointer (&self->by_token, g_hash_table_unref);
  g_clear_pointer (&self->order_ids, g_hash_table_unref);
  g_clear_pointer (&self->transactions, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_sandbox_pesogate_parent_class)->finalize (object);
}

static void
pd_sandbox_pesogate_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PdSandboxPesogate *self = PD_SANDBOX_PESOGATE (object);

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
pd_sandbox_pesogate_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PdSandboxPesogate *self = PD_SANDBOX_PESOGATE (object);

  switch (prop_id)
    {
    case PROP_SANDBOX:
      g_set_weak_pointer (&self->sandbox, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sandbox_pesogate_class_init (PdSandboxPesogateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_sandbox_pesogate_dispose;
  object_class->finalize = pd_sandbox_pesogate_finalize;
  object_class->get_property = pd_sandbox_pesogate_get_property;
  object_class->set_property = pd_sandbox_pesogate_set_property;

  properties[PROP_SANDBOX] =
    g_param_spec_object ("sandbox", NULL, NULL,
                         PD_TYPE_SANDBOX,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_sandbox_pesogate_init (PdSandboxPesogate *self)
{
  self->transactions = g_ptr_array_new_with_free_func ((GDestroyNotify) transaction_free);
  self->by_reference = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_token = g_hash_table_new (g_str_hash, g_str_equal);
  self->order_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

PdSandboxPesogate *
pd_sandbox_pesogate_new (PdSandbox *sandbox)
{
  g_return_val_if_fail (PD_IS_SANDBOX (sandbox), NULL);

  return g_object_new (PD_TYPE_SANDBOX_PESOGATE, "sandbox", sandbox, NULL);
}

/* Transactions */

static gint64
now (PdSandboxPesogate *self)
{
  return pd_sandbox_now (self->sandbox);
}

static Transaction *
transaction_add (PdSandboxPesogate *self,
                 const char        *order_id,
                 gint64             created_at)
{
  Transaction *t = g_new0 (Transaction, 1);

  t->seq = self->next_seq++;
  t->reference = pd_sandbox_new_id (self->demo_ids);
  t->order_id = g_strdup (order_id);
  t->created_at = created_at;
  t->status = STATUS_INITIALIZED;

  g_ptr_array_add (self->transactions, t);
  g_hash_table_insert (self->by_reference, t->reference, t);
  g_hash_table_add (self->order_ids, g_strdup (order_id));
  return t;
}

static void
transaction_set_card (Transaction *t,
                      const char  *number)
{
  gsize len = strlen (number);

  g_strlcpy (t->card_last_four, number + (len > 4 ? len - 4 : 0), sizeof t->card_last_four);
}

/* A challenge left alone for too long ends the payment; checked whenever the
 * transaction is read or touched, so no timer is needed. */
static void
transaction_expire_challenge (PdSandboxPesogate *self,
                              Transaction       *t)
{
  if (t->challenge_token == NULL || t->challenge_over)
    return;
  if (t->status != STATUS_INITIALIZED && t->status != STATUS_PENDING)
    return;
  if (now (self) - t->created_at < CHALLENGE_TTL)
    return;

  t->status = STATUS_FAILED;
  t->challenge_over = TRUE;
  g_debug ("transaction %s: 3-D Secure challenge timed out", t->reference);
}

static Transaction *
lookup_reference (PdSandboxPesogate *self,
                  const char        *reference)
{
  Transaction *t = g_hash_table_lookup (self->by_reference, reference);

  if (t != NULL)
    transaction_expire_challenge (self, t);
  return t;
}

static const TestCard *
find_test_card (const char *number)
{
  for (guint i = 0; i < G_N_ELEMENTS (test_cards); i++)
    if (g_str_equal (test_cards[i].number, number))
      return &test_cards[i];
  return NULL;
}

static const char *
brand_of (const char *number)
{
  const TestCard *card = find_test_card (number);
  int prefix2 = (number[0] - '0') * 10 + (number[1] - '0');
  int prefix4 = prefix2 * 100 + (number[2] - '0') * 10 + (number[3] - '0');

  if (card != NULL)
    return card->brand;
  if (number[0] == '4')
    return "visa";
  if (prefix2 == 34 || prefix2 == 37)
    return "amex";
  if ((prefix2 >= 51 && prefix2 <= 55) || (prefix4 >= 2221 && prefix4 <= 2720))
    return "mastercard";
  return "unknown";
}

static const char *
brand_display_name (const char *brand)
{
  if (g_str_equal (brand, "visa"))
    return "Visa";
  if (g_str_equal (brand, "mastercard"))
    return "Mastercard";
  if (g_str_equal (brand, "amex"))
    return "American Express";
  return "Card";
}

static const char *
provider_display_name (const char *provider)
{
  return g_str_equal (provider, "mpgs") ? "MPGS" : "CyberSource";
}

static char *
format_amount (const Transaction *t,
               gint64             minor)
{
  char buf[PD_DECIMAL_BUF_SIZE];

  return g_strdup_printf ("%s %s", pd_decimal_format (minor, t->currency->exponent, buf), t->currency->code);
}

static gint64
power_of_ten (guint exponent)
{
  gint64 scale = 1;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;
  return scale;
}

/* The amount as a JSON number: an integer for currencies without decimals,
 * else a double that the sandbox writes as its shortest exact decimal. */
static void
builder_add_amount (JsonBuilder       *b,
                    const Transaction *t)
{
  if (t->currency->exponent == 0)
    json_builder_add_int_value (b, t->amount);
  else
    json_builder_add_double_value (b, (double) t->amount / (double) power_of_ten (t->currency->exponent));
}

/* Replies */

static void
reply_message (SoupServerMessage *msg,
               guint              status,
               gboolean           success,
               const char        *message,
               const char        *reference)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, success);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (reference != NULL)
    {
      json_builder_set_member_name (b, "transaction_reference");
      json_builder_add_string_value (b, reference);
    }
  json_builder_end_object (b);

  pd_sandbox_reply_json (msg, status, b);
}

static void
reply_method_not_allowed (SoupServerMessage *msg,
                          const char        *allow,
                          gboolean           json)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);

  if (json)
    {
      g_autofree char *message = g_strdup_printf ("The %s method is not supported for this route. Supported methods: %s.",
                                                  soup_server_message_get_method (msg), allow);

      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, message, NULL);
    }
  else
    {
      g_autofree char *page = pd_sandbox_html_page ("Method not allowed",
                                                    "<p>This page cannot be requested this way.</p>");

      pd_sandbox_reply_html (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, page);
    }
}

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            const char        *title,
            const char        *body_html)
{
  g_autofree char *page = pd_sandbox_html_page (title, body_html);

  pd_sandbox_reply_html (msg, status, page);
}

static gboolean
method_is (SoupServerMessage *msg,
           const char        *method)
{
  return g_str_equal (soup_server_message_get_method (msg), method);
}

/* Validation */

typedef struct
{
  JsonObject *body;
  JsonObject *errors;
} Validation;

static void
add_error (JsonObject *errors,
           const char *field,
           const char *message)
{
  if (!json_object_has_member (errors, field))
    json_object_set_array_member (errors, field, json_array_new ());
  json_array_add_string_element (json_object_get_array_member (errors, field), message);
}

/* Laravel names a field in its messages with spaces for underscores. */
static char *
field_label (const char *field)
{
  return g_strdelimit (g_strdup (field), "_", ' ');
}

static void
add_field_error (JsonObject *errors,
                 const char *field,
                 const char *what)
{
  g_autofree char *label = field_label (field);
  g_autofree char *message = g_strdup_printf ("The %s %s", label, what);

  add_error (errors, field, message);
}

static gboolean
node_is_type (JsonNode *node,
              GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A member that is absent or null is not there: Laravel's "nullable". */
static JsonNode *
member (JsonObject *body,
        const char *name)
{
  JsonNode *node = json_object_get_member (body, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
all_digits (const char *text)
{
  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* A string member: NULL when absent (an error when @required) or invalid. */
static const char *
read_string (Validation *v,
             const char *field,
             gboolean    required,
             gsize       max_length)
{
  JsonNode *node = member (v->body, field);
  const char *text;

  if (node == NULL || (node_is_type (node, G_TYPE_STRING) && is_blank (json_node_get_string (node))))
    {
      if (required)
        add_field_error (v->errors, field, "field is required.");
      return NULL;
    }
  if (!node_is_type (node, G_TYPE_STRING))
    {
      add_field_error (v->errors, field, "must be a string.");
      return NULL;
    }

  text = json_node_get_string (node);
  if (strlen (text) > max_length)
    {
      g_autofree char *what = g_strdup_printf ("must not be greater than %" G_GSIZE_FORMAT " characters.", max_length);

      add_field_error (v->errors, field, what);
      return NULL;
    }
  return text;
}

static const PdIso4217 *
lookup_currency (const char *code)
{
  if (strlen (code) != 3)
    return NULL;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isupper (code[i]))
      return NULL;
  return pd_iso4217_lookup (code);
}

/* The smallest amount accepted: 0.01, or one minor unit when the currency
 * has fewer than two decimals. */
static gint64
minimum_amount (guint exponent)
{
  return exponent >= 2 ? power_of_ten (exponent - 2) : 1;
}

/* Reads an amount exactly; on failure returns the Laravel-style message. */
static char *
read_amount (JsonNode        *node,
             const PdIso4217 *currency,
             gint64          *minor_out)
{
  guint exponent = currency != NULL ? currency->exponent : 2;
  gint64 scale = power_of_ten (exponent);
  gint64 minimum = minimum_amount (exponent);
  gint64 maximum = MAX_MAJOR_UNITS * scale + (scale - 1);
  char buf[PD_DECIMAL_BUF_SIZE];
  gint64 minor = 0;
  gboolean too_large = FALSE;

  if (node_is_type (node, G_TYPE_INT64))
    {
      gint64 units = json_node_get_int (node);

      if (units > MAX_MAJOR_UNITS)
        too_large = TRUE;
      else
        minor = MAX (units, -1) * scale;
    }
  else if (node_is_type (node, G_TYPE_DOUBLE))
    {
      switch (pd_decimal_from_double (json_node_get_double (node), exponent, &minor))
        {
        case PD_DECIMAL_OK:
          break;
        case PD_DECIMAL_NEGATIVE:
          minor = -1;
          break;
        case PD_DECIMAL_TOO_PRECISE:
          if (currency == NULL)
            return g_strdup_printf ("The amount must not have more than %u decimal places.", exponent);
          if (exponent == 0)
            return g_strdup_printf ("The amount must be a whole number for %s.", currency->code);
          return g_strdup_printf ("The amount must not have more than %u decimal places for %s.",
                                  exponent, currency->code);
        case PD_DECIMAL_OVERFLOW:
        case PD_DECIMAL_NOT_FINITE:
        case PD_DECIMAL_EMPTY:
        case PD_DECIMAL_SYNTAX:
        default:
          too_large = TRUE;
        }
    }
  else
    return g_strdup ("The amount must be a number.");

  if (too_large || minor > maximum)
    return g_strdup_printf ("The amount must not be greater than %s.", pd_decimal_format (maximum, exponent, buf));
  if (minor < minimum)
    return g_strdup_printf ("The amount must be at least %s.",
                            exponent >= 2 ? "0.01" : pd_decimal_format (minimum, exponent, buf));

  *minor_out = minor;
  return NULL;
}

/* exp_month and exp_year may be strings or integers; returns 0 when invalid. */
static guint
read_expiry_part (Validation *v,
                  const char *field,
                  gboolean    is_month)
{
  JsonNode *node = member (v->body, field);
  g_autofree char *digits = NULL;
  gsize len;
  guint value;

  if (node == NULL || (node_is_type (node, G_TYPE_STRING) && is_blank (json_node_get_string (node))))
    {
      add_field_error (v->errors, field, "field is required.");
      return 0;
    }

  if (node_is_type (node, G_TYPE_STRING))
    digits = g_strdup (json_node_get_string (node));
  else if (node_is_type (node, G_TYPE_INT64) && json_node_get_int (node) >= 0 && json_node_get_int (node) <= 9999)
    digits = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  len = digits != NULL ? strlen (digits) : 0;
  if (is_month)
    {
      value = (len == 1 || len == 2) && all_digits (digits) ? (guint) g_ascii_strtoull (digits, NULL, 10) : 0;
      if (value >= 1 && value <= 12)
        return value;
      add_field_error (v->errors, field, "must be a valid month from 01 to 12.");
      return 0;
    }

  if ((len == 2 || len == 4) && all_digits (digits))
    {
      value = (guint) g_ascii_strtoull (digits, NULL, 10);
      return len == 2 ? 2000 + value : value;
    }
  add_field_error (v->errors, field, "must be 2 or 4 digits.");
  return 0;
}

static gboolean
valid_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *dot;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',' || *p == '\\')
      return FALSE;

  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strstr (at + 1, "..") == NULL && at[1] != '.';
}

static gboolean
valid_web_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL)
    return FALSE;
  host = g_uri_get_host (uri);
  return (g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https")) &&
         host != NULL && host[0] != '\0';
}

static const char *
read_url (Validation *v,
          const char *field)
{
  const char *url = read_string (v, field, FALSE, MAX_URL_LENGTH);

  if (url != NULL && !valid_web_url (url))
    {
      add_field_error (v->errors, field, "must be a valid absolute http or https URL.");
      return NULL;
    }
  return url;
}

/* API: initialize */

/* Why a card that is not a success card of this provider's table is
 * declined: said on the result page, as an issuer's decline would be. */
static char *
decline_reason (const char *provider,
                const char *card_number)
{
  const TestCard *card = find_test_card (card_number);

  if (card != NULL && g_str_equal (card->provider, provider))
    return g_strdup ("Card declined by the issuer: this is the provider's decline test card.");
  if (card != NULL)
    return g_strdup_printf ("Card declined: this is a %s test card; it cannot be used with the %s provider.",
                            provider_display_name (card->provider), provider);
  return g_strdup_printf ("Card declined: not a test card for the %s provider; use one from the %s test cards table.",
                          provider, provider_display_name (provider));
}

static void
reply_challenge (PdSandboxPesogate *self,
                 SoupServerMessage *msg,
                 const Transaction *t)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *origin = pd_sandbox_dup_origin (self->sandbox);
  gboolean mpgs = g_str_equal (t->provider, "mpgs");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "message");

  if (mpgs)
    {
      g_autofree char *action = pd_sandbox_html_escape (origin);
      g_autofree char *token = pd_sandbox_html_escape (t->challenge_token);
      g_autofree char *html = NULL;

      /* Shaped like MPGS's authenticate-payer answer: a form posting the
       * challenge request into a full-size iframe, submitted by a script. */
      html = g_strdup_printf (
        "<div id=\"threedsChallengeRedirect\" style=\"height: 100vh\">"
        "<form id=\"threedsChallengeRedirectForm\" method=\"POST\" action=\"%s" ACS_PATH "\" target=\"challengeFrame\">"
        "<input type=\"hidden\" name=\"creq\" value=\"%s\" />"
        "<noscript><button type=\"submit\">Continue to 3-D Secure</button></noscript>"
        "</form>"
        "<iframe id=\"challengeFrame\" name=\"challengeFrame\" width=\"100%%\" height=\"100%%\" "
        "style=\"border: 0; width: 100%%; height: 100%%\" title=\"3-D Secure\"></iframe>"
        "<script id=\"authenticate-payer-script\">"
        "var e = document.getElementById(\"threedsChallengeRedirectForm\");"
        "if (e) { e.submit(); }"
        "</script>"
        "</div>",
        action, token);

      json_builder_add_string_value (b, "3DS authentication required");
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, "render_html");
      json_builder_set_member_name (b, "html_content");
      json_builder_add_string_value (b, html);
    }
  else
    {
      g_autofree char *url = g_strconcat (origin, REDIRECT_PATH, t->challenge_token, NULL);

      json_builder_add_string_value (b, "Transaction initialized successfully");
      json_builder_set_member_name (b, "redirect_url");
      json_builder_add_string_value (b, url);
    }

  json_builder_set_member_name (b, "transaction_reference");
  json_builder_add_string_value (b, t->reference);
  json_builder_end_object (b);

  pd_sandbox_reply_json (msg, SOUP_STATUS_OK, b);
}

static void
handle_initialize (PdSandboxPesogate *self,
                   SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  Validation v;
  const char *order_id, *currency_code, *provider, *card_number, *cvv;
  const char *email, *name, *phone, *return_url, *cancel_url;
  const PdIso4217 *currency = NULL;
  const TestCard *test_card;
  JsonNode *node;
  JsonObject *metadata = NULL;
  gint64 amount = 0;
  guint month, year;
  Transaction *t;

  switch (pd_sandbox_parse_json_body (msg, &body))
    {
    case PD_SANDBOX_BODY_OK:
      break;
    case PD_SANDBOX_BODY_EMPTY:
      body = json_object_new ();
      break;
    case PD_SANDBOX_BODY_TOO_LARGE:
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request body too large", NULL);
      return;
    case PD_SANDBOX_BODY_TOO_DEEP:
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed JSON body: nested too deeply", NULL);
      return;
    case PD_SANDBOX_BODY_MALFORMED:
    case PD_SANDBOX_BODY_NOT_OBJECT:
    default:
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed JSON body", NULL);
      return;
    }

  v.body = body;
  v.errors = errors;

  order_id = read_string (&v, "order_id", TRUE, MAX_TEXT_LENGTH);
  if (order_id != NULL && g_hash_table_contains (self->order_ids, order_id))
    add_error (errors, "order_id", "The order id has already been taken.");

  /* The amount's decimals depend on the currency, whose errors come next. */
  node = member (body, "currency");
  if (node != NULL && node_is_type (node, G_TYPE_STRING))
    currency = lookup_currency (json_node_get_string (node));

  if ((node = member (body, "amount")) == NULL)
    add_error (errors, "amount", "The amount field is required.");
  else
    {
      g_autofree char *problem = read_amount (node, currency, &amount);

      if (problem != NULL)
        add_error (errors, "amount", problem);
    }

  currency_code = read_string (&v, "currency", TRUE, MAX_TEXT_LENGTH);
  if (currency_code != NULL && currency == NULL)
    add_error (errors, "currency", "The currency must be a valid ISO 4217 currency code.");

  provider = read_string (&v, "payment_provider", TRUE, MAX_TEXT_LENGTH);
  if (provider != NULL && !g_strv_contains (providers, provider))
    {
      add_error (errors, "payment_provider", "The selected payment provider is invalid.");
      provider = NULL;
    }

  card_number = read_string (&v, "card_number", TRUE, MAX_TEXT_LENGTH);
  if (card_number != NULL)
    {
      gsize len = strlen (card_number);
      const char *problem = NULL;

      if (!all_digits (card_number))
        problem = "The card number must contain only digits.";
      else if (len < 12 || len > 19)
        problem = "The card number must be between 12 and 19 digits.";
      /* The spec's tables win over Luhn: its decline card 4111 1111 1111 1112 fails it. */
      else if (find_test_card (card_number) == NULL && !pd_luhn_valid (card_number))
        problem = "The card number is not a valid card number.";

      if (problem != NULL)
        {
          add_error (errors, "card_number", problem);
          card_number = NULL;
        }
    }

  month = read_expiry_part (&v, "exp_month", TRUE);
  year = read_expiry_part (&v, "exp_year", FALSE);
  if (month != 0 && year != 0)
    {
      g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc (now (self));
      guint this_year = (guint) g_date_time_get_year (today);
      guint this_month = (guint) g_date_time_get_month (today);

      /* A card is valid through the last day of its expiry month. */
      if (year < this_year || (year == this_year && month < this_month))
        add_error (errors, "exp_year", "The card has expired.");
    }

  cvv = read_string (&v, "cvv", TRUE, MAX_TEXT_LENGTH);
  if (cvv != NULL)
    {
      gsize len = strlen (cvv);

      if (!all_digits (cvv))
        add_error (errors, "cvv", "The cvv must contain only digits.");
      else if (card_number == NULL)
        {
          if (len != 3 && len != 4)
            add_error (errors, "cvv", "The cvv must be 3 or 4 digits.");
        }
      else if (g_str_equal (brand_of (card_number), "amex"))
        {
          if (len != 4)
            add_error (errors, "cvv", "The cvv must be 4 digits for American Express cards.");
        }
      else if (len != 3)
        add_error (errors, "cvv", "The cvv must be 3 digits.");
    }

  email = read_string (&v, "customer_email", FALSE, MAX_TEXT_LENGTH);
  if (email != NULL && !valid_email (email))
    add_error (errors, "customer_email", "The customer email must be a valid email address.");
  name = read_string (&v, "customer_name", FALSE, MAX_TEXT_LENGTH);
  phone = read_string (&v, "customer_phone", FALSE, MAX_TEXT_LENGTH);
  return_url = read_url (&v, "return_url");
  cancel_url = read_url (&v, "cancel_url");

  if ((node = member (body, "metadata")) != NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        metadata = json_node_get_object (node);
      else
        add_error (errors, "metadata", "The metadata must be an object.");
    }

  if (json_object_get_size (errors) > 0)
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Validation failed", errors);
      return;
    }

  t = transaction_add (self, order_id, now (self));
  t->currency = currency;
  t->amount = amount;
  t->provider = g_strdup (provider);
  t->card_type = brand_of (card_number);
  transaction_set_card (t, card_number);
  t->customer_email = g_strdup (email);
  t->customer_name = g_strdup (name);
  t->customer_phone = g_strdup (phone);
  t->return_url = g_strdup (return_url);
  t->cancel_url = g_strdup (cancel_url);
  t->metadata = metadata != NULL ? json_object_ref (metadata) : NULL;

  /* Every valid card gets its challenge, as at a real gateway (the spec's own
   * example pairs mpgs with a CyberSource card and expects a 200); the issuer
   * declines the card afterwards unless it is a success card of this provider. */
  test_card = find_test_card (card_number);
  t->card_succeeds = test_card != NULL && test_card->succeeds && g_str_equal (test_card->provider, provider);
  if (!t->card_succeeds)
    t->decline_reason = decline_reason (provider, card_number);

  t->challenge_token = g_uuid_string_random ();
  g_hash_table_insert (self->by_token, t->challenge_token, t);
  g_debug ("transaction %s: initialized, 3-D Secure challenge started", t->reference);
  reply_challenge (self, msg, t);
}

/* API: status and refund */

static void
handle_status (PdSandboxPesogate *self,
               SoupServerMessage *msg,
               Transaction       *t)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created_at = pd_sandbox_format_time (t->created_at);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "Transaction status retrieved");
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status_names[t->status]);
  json_builder_set_member_name (b, "amount");
  builder_add_amount (b, t);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, t->currency->code);
  json_builder_set_member_name (b, "order_id");
  json_builder_add_string_value (b, t->order_id);
  json_builder_set_member_name (b, "payment_method");
  json_builder_add_string_value (b, "card");
  json_builder_set_member_name (b, "card_type");
  json_builder_add_string_value (b, t->card_type);
  json_builder_set_member_name (b, "card_last_four");
  json_builder_add_string_value (b, t->card_last_four);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created_at);
  json_builder_set_member_name (b, "completed_at");
  if (t->completed_at != 0)
    {
      g_autofree char *completed_at = pd_sandbox_format_time (t->completed_at);

      json_builder_add_string_value (b, completed_at);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  pd_sandbox_reply_json (msg, SOUP_STATUS_OK, b);
}

static void
handle_refund (PdSandboxPesogate *self,
               SoupServerMessage *msg,
               Transaction       *t)
{
  g_autoptr(JsonObject) body = NULL;
  JsonNode *node = NULL;
  gint64 remainder = t->amount - t->refunded;
  gint64 amount = remainder;

  switch (pd_sandbox_parse_json_body (msg, &body))
    {
    case PD_SANDBOX_BODY_OK:
      node = member (body, "amount");
      break;
    case PD_SANDBOX_BODY_EMPTY:
      break;
    case PD_SANDBOX_BODY_TOO_LARGE:
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request body too large", NULL);
      return;
    case PD_SANDBOX_BODY_TOO_DEEP:
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed JSON body: nested too deeply", NULL);
      return;
    case PD_SANDBOX_BODY_MALFORMED:
    case PD_SANDBOX_BODY_NOT_OBJECT:
    default:
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed JSON body", NULL);
      return;
    }

  if (node != NULL)
    {
      g_autofree char *problem = read_amount (node, t->currency, &amount);

      if (problem != NULL)
        {
          g_autoptr(JsonObject) errors = json_object_new ();

          add_error (errors, "amount", problem);
          pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Validation failed", errors);
          return;
        }
    }

  if (t->status == STATUS_REFUNDED && remainder == 0)
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_BAD_REQUEST,
                                       "Cannot refund transaction: Transaction has already been fully refunded",
                                       NULL);
      return;
    }
  if (t->status != STATUS_COMPLETED && t->status != STATUS_REFUNDED)
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_BAD_REQUEST,
                                       "Cannot refund transaction: Transaction is not in a completed state", NULL);
      return;
    }
  if (amount > remainder)
    {
      g_autofree char *left = format_amount (t, remainder);
      g_autofree char *message = g_strdup_printf ("Cannot refund transaction: The refund amount exceeds the "
                                                  "refundable amount of %s", left);

      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_BAD_REQUEST, message, NULL);
      return;
    }

  t->refunded += amount;
  t->status = STATUS_REFUNDED;
  g_debug ("transaction %s: refunded %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " minor units",
           t->reference, t->refunded, t->amount);
  reply_message (msg, SOUP_STATUS_OK, TRUE, "Transaction refunded successfully", t->reference);
}

static void
handle_api (PdSandboxPesogate *self,
            SoupServerMessage *msg,
            const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "X-Api-Key");
  const char *secret = soup_message_headers_get_one (headers, "X-Api-Secret");
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n_parts = g_strv_length (parts);
  enum { ROUTE_INITIALIZE, ROUTE_STATUS, ROUTE_REFUND } route;
  Transaction *t;

  /* Routing comes before authentication, as in the Laravel app behind the API. */
  if (n_parts == 3 && g_str_equal (parts[1], "payments") && g_str_equal (parts[2], "initialize"))
    route = ROUTE_INITIALIZE;
  else if (n_parts == 4 && g_str_equal (parts[1], "payments") && parts[2][0] != '\0' &&
           g_str_equal (parts[3], "status"))
    route = ROUTE_STATUS;
  else if (n_parts == 4 && g_str_equal (parts[1], "payments") && parts[2][0] != '\0' &&
           g_str_equal (parts[3], "refund"))
    route = ROUTE_REFUND;
  else
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_NOT_FOUND, "The requested endpoint does not exist.", NULL);
      return;
    }

  if (route == ROUTE_STATUS ? !method_is (msg, "GET") && !method_is (msg, "HEAD") : !method_is (msg, "POST"))
    {
      reply_method_not_allowed (msg, route == ROUTE_STATUS ? "GET, HEAD" : "POST", TRUE);
      return;
    }

  if (key == NULL || secret == NULL || key[0] == '\0' || secret[0] == '\0')
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_UNAUTHORIZED, "Unauthenticated.", NULL);
      return;
    }
  if (!g_str_equal (key, PD_SANDBOX_PESOGATE_API_KEY) || !g_str_equal (secret, PD_SANDBOX_PESOGATE_API_SECRET))
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid API credentials.", NULL);
      return;
    }

  if (route == ROUTE_INITIALIZE)
    {
      handle_initialize (self, msg);
      return;
    }

  if ((t = lookup_reference (self, parts[2])) == NULL)
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_NOT_FOUND, "Transaction not found", NULL);
      return;
    }

  if (route == ROUTE_STATUS)
    handle_status (self, msg, t);
  else
    handle_refund (self, msg, t);
}

/* 3-D Secure pages */

/* A form body; NULL (after replying) when it is too large. */
static GHashTable *
read_form (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = NULL;
  GHashTable *form;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len > PD_SANDBOX_MAX_BODY)
    {
      reply_page (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request too large",
                  "<p>The form sent was too large.</p>");
      return NULL;
    }

  text = g_strndup (data != NULL ? data : "", len);
  form = soup_form_decode (text);
  return form != NULL ? form : g_hash_table_new (g_str_hash, g_str_equal);
}

static const char *
outcome_title (const Transaction *t)
{
  switch (t->status)
    {
    case STATUS_COMPLETED:
    case STATUS_REFUNDED:
      return "Payment completed";
    case STATUS_FAILED:
      return "Payment failed";
    case STATUS_CANCELLED:
      return "Payment cancelled";
    case STATUS_INITIALIZED:
    case STATUS_PENDING:
    case STATUS_AUTHORIZED:
    default:
      return "Payment in progress";
    }
}

static char *
summary_html (const Transaction *t)
{
  g_autofree char *amount = format_amount (t, t->amount);
  g_autofree char *amount_html = pd_sandbox_html_escape (amount);
  g_autofree char *reference = pd_sandbox_html_escape (t->reference);

  return g_strdup_printf ("<dl>"
                          "<dt>Merchant</dt><dd>" MERCHANT_NAME "</dd>"
                          "<dt>Amount</dt><dd>%s</dd>"
                          "<dt>Card</dt><dd>%s •••• %s</dd>"
                          "<dt>Reference</dt><dd>%s</dd>"
                          "</dl>",
                          amount_html, brand_display_name (t->card_type), t->card_last_four, reference);
}

/* The transaction a challenge token names, or NULL after replying with a
 * page that says why it cannot be used. */
static Transaction *
challenge_for_token (PdSandboxPesogate *self,
                     SoupServerMessage *msg,
                     const char        *token)
{
  Transaction *t = token != NULL ? g_hash_table_lookup (self->by_token, token) : NULL;

  if (t == NULL)
    {
      reply_page (msg, SOUP_STATUS_NOT_FOUND, "Unknown challenge",
                  "<p>This 3-D Secure challenge does not exist.</p>");
      return NULL;
    }

  transaction_expire_challenge (self, t);
  if (t->challenge_over)
    {
      g_autofree char *summary = summary_html (t);
      g_autofree char *body = g_strdup_printf ("<p>This 3-D Secure challenge is over: it cannot be used again.</p>"
                                               "<p>Result: %s.</p>%s",
                                               status_names[t->status], summary);

      reply_page (msg, SOUP_STATUS_GONE, "Challenge over", body);
      return NULL;
    }
  return t;
}

/* CyberSource's redirect_url: a page that posts the challenge to the ACS. */
static void
serve_redirect_page (PdSandboxPesogate *self,
                     SoupServerMessage *msg,
                     const char        *token)
{
  Transaction *t = challenge_for_token (self, msg, token);
  g_autofree char *origin = NULL;
  g_autofree char *action = NULL;
  g_autofree char *token_html = NULL;
  g_autofree char *body = NULL;

  if (t == NULL)
    return;

  origin = pd_sandbox_dup_origin (self->sandbox);
  action = pd_sandbox_html_escape (origin);
  token_html = pd_sandbox_html_escape (t->challenge_token);
  body = g_strdup_printf ("<form id=\"stepUpForm\" method=\"POST\" action=\"%s" ACS_PATH "\">"
                          "<input type=\"hidden\" name=\"creq\" value=\"%s\">"
                          "<p>Connecting to your card issuer for 3-D Secure…</p>"
                          "<noscript><div class=\"buttons\">"
                          "<button class=\"primary\" type=\"submit\">Continue</button>"
                          "</div></noscript>"
                          "</form>"
                          "<script>document.getElementById(\"stepUpForm\").submit();</script>",
                          action, token_html);

  reply_page (msg, SOUP_STATUS_OK, "3-D Secure", body);
}

static void
serve_acs (PdSandboxPesogate *self,
           SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autofree char *summary = NULL;
  g_autofree char *token_html = NULL;
  g_autofree char *body = NULL;
  Transaction *t;

  if (form == NULL || (t = challenge_for_token (self, msg, g_hash_table_lookup (form, "creq"))) == NULL)
    return;

  if (t->status == STATUS_INITIALIZED)
    t->status = STATUS_PENDING;

  summary = summary_html (t);
  token_html = pd_sandbox_html_escape (t->challenge_token);
  body = g_strdup_printf ("%s"
                          "<form method=\"POST\" action=\"" ACS_DONE_PATH "\">"
                          "<input type=\"hidden\" name=\"creq\" value=\"%s\">"
                          "<label for=\"otp\">One-time code sent to your phone</label>"
                          "<input id=\"otp\" name=\"otp\" type=\"text\" autofocus inputmode=\"numeric\" "
                          "autocomplete=\"one-time-code\" maxlength=\"8\">"
                          "<p class=\"note\">Sandbox: the code " OTP_CODE " passes; any other code fails.</p>"
                          "<div class=\"buttons\">"
                          "<button class=\"primary\" type=\"submit\" name=\"action\" value=\"submit\">Submit</button>"
                          "<button class=\"secondary\" type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>"
                          "</div>"
                          "</form>",
                          summary, token_html);

  reply_page (msg, SOUP_STATUS_OK, "Verify your payment", body);
}

/* @url with reference=<reference> added to its query, keeping the rest. */
static char *
url_with_reference (const char *url,
                    const char *reference)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) result = NULL;
  g_autofree char *escaped = g_uri_escape_string (reference, NULL, FALSE);
  g_autofree char *query = NULL;
  const char *old_query;

  if (uri == NULL)
    return g_strdup (url);

  old_query = g_uri_get_query (uri);
  if (old_query != NULL && old_query[0] != '\0')
    query = g_strdup_printf ("%s&reference=%s", old_query, escaped);
  else
    query = g_strdup_printf ("reference=%s", escaped);

  result = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                        g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                        query, g_uri_get_fragment (uri));
  return g_uri_to_string (result);
}

static void
complete_challenge (PdSandboxPesogate *self,
                    SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  const char *action, *otp, *target;
  g_autofree char *location = NULL;
  Transaction *t;

  if (form == NULL || (t = challenge_for_token (self, msg, g_hash_table_lookup (form, "creq"))) == NULL)
    return;

  action = g_hash_table_lookup (form, "action");
  otp = g_hash_table_lookup (form, "otp");

  if (g_strcmp0 (action, "cancel") == 0)
    t->status = STATUS_CANCELLED;
  else if (g_strcmp0 (otp, OTP_CODE) == 0 && t->card_succeeds)
    {
      t->status = STATUS_COMPLETED;
      t->completed_at = now (self);
    }
  else
    t->status = STATUS_FAILED;

  t->challenge_over = TRUE;
  g_debug ("transaction %s: 3-D Secure challenge ended %s", t->reference, status_names[t->status]);

  target = t->status == STATUS_COMPLETED ? t->return_url : t->cancel_url;
  if (target != NULL)
    location = url_with_reference (target, t->reference);
  else
    {
      g_autofree char *origin = pd_sandbox_dup_origin (self->sandbox);

      location = g_strconcat (origin, RESULT_PATH, t->reference, NULL);
    }

  pd_sandbox_reply_redirect (msg, location);
}

static void
serve_result_page (PdSandboxPesogate *self,
                   SoupServerMessage *msg,
                   const char        *reference)
{
  Transaction *t = lookup_reference (self, reference);
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  if (t == NULL)
    {
      reply_page (msg, SOUP_STATUS_NOT_FOUND, "Unknown transaction", "<p>There is no such transaction.</p>");
      return;
    }

  summary = summary_html (t);
  if (t->status == STATUS_FAILED && t->decline_reason != NULL)
    {
      g_autofree char *reason = pd_sandbox_html_escape (t->decline_reason);

      body = g_strdup_printf ("<p>Status: <strong>%s</strong>.</p><p>%s</p>%s"
                              "<p class=\"note\">You can close this page.</p>",
                              status_names[t->status], reason, summary);
    }
  else
    body = g_strdup_printf ("<p>Status: <strong>%s</strong>.</p>%s"
                            "<p class=\"note\">You can close this page.</p>",
                            status_names[t->status], summary);
  reply_page (msg, SOUP_STATUS_OK, outcome_title (t), body);
}

static void
handle_3ds (PdSandboxPesogate *self,
            SoupServerMessage *msg,
            const char        *path)
{
  const char *acs = ACS_PATH + strlen (PD_SANDBOX_PESOGATE_PREFIX);
  const char *acs_done = ACS_DONE_PATH + strlen (PD_SANDBOX_PESOGATE_PREFIX);
  const char *redirect = REDIRECT_PATH + strlen (PD_SANDBOX_PESOGATE_PREFIX);
  const char *result = RESULT_PATH + strlen (PD_SANDBOX_PESOGATE_PREFIX);
  gboolean is_get = method_is (msg, "GET") || method_is (msg, "HEAD");

  if (g_str_equal (path, acs) || g_str_equal (path, acs_done))
    {
      if (!method_is (msg, "POST"))
        reply_method_not_allowed (msg, "POST", FALSE);
      else if (g_str_equal (path, acs))
        serve_acs (self, msg);
      else
        complete_challenge (self, msg);
    }
  else if (g_str_has_prefix (path, redirect) && path[strlen (redirect)] != '\0' &&
           strchr (path + strlen (redirect), '/') == NULL)
    {
      if (!is_get)
        reply_method_not_allowed (msg, "GET, HEAD", FALSE);
      else
        serve_redirect_page (self, msg, path + strlen (redirect));
    }
  else if (g_str_has_prefix (path, result) && path[strlen (result)] != '\0' &&
           strchr (path + strlen (result), '/') == NULL)
    {
      if (!is_get)
        reply_method_not_allowed (msg, "GET, HEAD", FALSE);
      else
        serve_result_page (self, msg, path + strlen (result));
    }
  else
    reply_page (msg, SOUP_STATUS_NOT_FOUND, "Not found", "<p>There is no such page.</p>");
}

void
pd_sandbox_pesogate_handle (PdSandboxPesogate *self,
                            SoupServerMessage *msg,
                            const char        *path)
{
  g_return_if_fail (PD_IS_SANDBOX_PESOGATE (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  if (g_str_equal (path, API_PREFIX) || g_str_has_prefix (path, API_PREFIX "/"))
    handle_api (self, msg, path + strlen (API_PREFIX));
  else if (g_str_has_prefix (path, "/3ds/"))
    handle_3ds (self, msg, path);
  else
    reply_page (msg, SOUP_STATUS_NOT_FOUND, "Not found", "<p>There is no such page.</p>");
}

/* Demo data */

typedef struct
{
  const char *name;
  const char *email;
} DemoCustomer;

static const DemoCustomer demo_customers[] = {
  { "Amina Mwangi", "amina.mwangi@example.com" },
  { "João Macuácua", "joao.macuacua@example.com" },
  { "Hiroshi Tanaka", "hiroshi.tanaka@example.jp" },
  { "Claire Dubois", "claire.dubois@example.fr" },
  { "Daniel Otieno", "daniel.otieno@example.co.ke" },
  { "Sofia Langa", "sofia.langa@example.co.mz" },
  { "Michael Brown", "michael.brown@example.com" },
  { "Yuki Sato", "yuki.sato@example.jp" },
};

typedef struct
{
  const char *code;
  gint64      min_major;
  gint64      max_major;
} DemoCurrency;

static const DemoCurrency demo_currencies[] = {
  { "USD", 5, 900 },
  { "EUR", 5, 750 },
  { "KES", 150, 60000 },
  { "MZN", 100, 25000 },
  { "JPY", 500, 90000 },
};

/* The statuses of the demo transactions, oldest pattern first; every status
 * of the spec appears, completed ones most often as in real life. */
static const Status demo_statuses[] = {
  STATUS_COMPLETED, STATUS_COMPLETED, STATUS_REFUNDED, STATUS_FAILED,
  STATUS_COMPLETED, STATUS_CANCELLED, STATUS_COMPLETED, STATUS_REFUNDED,
  STATUS_AUTHORIZED, STATUS_COMPLETED, STATUS_FAILED, STATUS_COMPLETED,
};

#define DEMO_COUNT 36

void
pd_sandbox_pesogate_seed_demo (PdSandboxPesogate *self)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250510);
  gint64 start = now (self);

  self->demo_ids = g_rand_new_with_seed (4217);

  g_return_if_fail (PD_IS_SANDBOX_PESOGATE (self));

  for (guint i = 0; i < DEMO_COUNT; i++)
    {
      const DemoCurrency *dc = &demo_currencies[i % G_N_ELEMENTS (demo_currencies)];
      const DemoCustomer *customer = &demo_customers[g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_customers))];
      const char *provider = providers[i % N_PROVIDERS];
      g_autofree char *order_id = g_strdup_printf ("DEMO-PG-%04u", 1001 + i);
      const TestCard *card = NULL;
      gint64 created_at;
      gint64 scale;
      Status status;
      Transaction *t;
      guint n_cards = 0;
      const TestCard *candidates[G_N_ELEMENTS (test_cards)];

      /* The newest few are still in flight: 3-D Secure or the provider's answer. */
      if (i == DEMO_COUNT - 1)
        status = STATUS_INITIALIZED;
      else if (i >= DEMO_COUNT - 3)
        status = STATUS_PENDING;
      else
        status = demo_statuses[i % G_N_ELEMENTS (demo_statuses)];

      if (status == STATUS_INITIALIZED || status == STATUS_PENDING)
        created_at = start - 60 * (gint64) (DEMO_COUNT - i) - g_rand_int_range (rand, 0, 60);
      else
        created_at = start - (gint64) (60 - i * 59 / DEMO_COUNT) * 86400 + g_rand_int_range (rand, 0, 86400 / 2);

      for (guint c = 0; c < G_N_ELEMENTS (test_cards); c++)
        if (g_str_equal (test_cards[c].provider, provider) &&
            test_cards[c].succeeds == (status != STATUS_FAILED || i % 2 == 0))
          candidates[n_cards++] = &test_cards[c];
      card = candidates[g_rand_int_range (rand, 0, n_cards)];

      t = transaction_add (self, order_id, created_at);
      t->currency = pd_iso4217_lookup (dc->code);
      scale = power_of_ten (t->currency->exponent);
      t->amount = g_rand_int_range (rand, dc->min_major, dc->max_major) * scale;
      /* Prices end in .00, .50 or .99 as shop prices do. */
      if (scale > 1)
        t->amount += (gint64) (i % 3 == 0 ? 0 : i % 3 == 1 ? 50 : 99) * scale / 100;
      t->provider = g_strdup (provider);
      t->card_type = card->brand;
      transaction_set_card (t, card->number);
      t->card_succeeds = card->succeeds;
      t->customer_email = g_strdup (customer->email);
      t->customer_name = g_strdup (customer->name);
      t->status = status;

      if (status == STATUS_COMPLETED || status == STATUS_REFUNDED)
        t->completed_at = created_at + g_rand_int_range (rand, 40, 300);
      if (status == STATUS_REFUNDED)
        {
          /* Half of the refunds are partial, so some can still be refunded. */
          if (i % 2 == 0)
            t->refunded = t->amount;
          else
            t->refunded = MAX (t->amount / 4 / scale * scale, 1);
        }
    }

  g_clear_pointer (&self->demo_ids, g_rand_free);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Transaction *ta = *(const Transaction * const *) a;
  const Transaction *tb = *(const Transaction * const *) b;

  if (ta->created_at != tb->created_at)
    return ta->created_at < tb->created_at ? 1 : -1;
  return ta->seq < tb->seq ? 1 : -1;
}

GStrv
pd_sandbox_pesogate_dup_references (PdSandboxPesogate *self)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GStrvBuilder *builder;
  GStrv references;

  g_return_val_if_fail (PD_IS_SANDBOX_PESOGATE (self), NULL);

  sorted = g_ptr_array_sized_new (self->transactions->len);
  for (guint i = 0; i < self->transactions->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (self->transactions, i));
  g_ptr_array_sort (sorted, compare_newest_first);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < sorted->len; i++)
    g_strv_builder_add (builder, ((Transaction *) g_ptr_array_index (sorted, i))->reference);
  references = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return references;
}
