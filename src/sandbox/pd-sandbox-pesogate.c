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

#include "pd-luhn.h"
#include "pd-sandbox-pesogate-private.h"

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

gint64
pd_sandbox_pesogate_now (PdSandboxPesogate *self)
{
  return pd_sandbox_now (self->sandbox);
}

Transaction *
pd_sandbox_pesogate_transaction_add (PdSandboxPesogate *self,
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

void
pd_sandbox_pesogate_transaction_set_card (Transaction *t,
                                          const char  *number)
{
  gsize len = strlen (number);

  g_strlcpy (t->card_last_four, number + (len > 4 ? len - 4 : 0), sizeof t->card_last_four);
}

/* A challenge left alone for too long ends the payment; checked whenever the
 * transaction is read or touched, so no timer is needed. */
void
pd_sandbox_pesogate_transaction_expire_challenge (PdSandboxPesogate *self,
                                                  Transaction       *t)
{
  if (t->challenge_token == NULL || t->challenge_over)
    return;
  if (t->status != STATUS_INITIALIZED && t->status != STATUS_PENDING)
    return;
  if (pd_sandbox_pesogate_now (self) - t->created_at < CHALLENGE_TTL)
    return;

  t->status = STATUS_FAILED;
  t->challenge_over = TRUE;
  g_debug ("transaction %s: 3-D Secure challenge timed out", t->reference);
}

Transaction *
pd_sandbox_pesogate_lookup_reference (PdSandboxPesogate *self,
                                      const char        *reference)
{
  Transaction *t = g_hash_table_lookup (self->by_reference, reference);

  if (t != NULL)
    pd_sandbox_pesogate_transaction_expire_challenge (self, t);
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

const char *
pd_sandbox_pesogate_brand_display_name (const char *brand)
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

char *
pd_sandbox_pesogate_format_amount (const Transaction *t,
                                   gint64             minor)
{
  char buf[PD_DECIMAL_BUF_SIZE];

  return g_strdup_printf ("%s %s", pd_decimal_format (minor, t->currency->exponent, buf), t->currency->code);
}

gint64
pd_sandbox_pesogate_power_of_ten (guint exponent)
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
    json_builder_add_double_value (b, (double) t->amount
                                      / (double) pd_sandbox_pesogate_power_of_ten (t->currency->exponent));
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

void
pd_sandbox_pesogate_reply_method_not_allowed (SoupServerMessage *msg,
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

void
pd_sandbox_pesogate_reply_page (SoupServerMessage *msg,
                                guint              status,
                                const char        *title,
                                const char        *body_html)
{
  g_autofree char *page = pd_sandbox_html_page (title, body_html);

  pd_sandbox_reply_html (msg, status, page);
}

gboolean
pd_sandbox_pesogate_method_is (SoupServerMessage *msg,
                               const char        *method)
{
  return g_str_equal (soup_server_message_get_method (msg), method);
}

/* API: initialize */

/* Why a card that is not a success card of this provider's table is
 * declined: said on the result page, as an issuer's decline would be. */
char *
pd_sandbox_pesogate_decline_reason (const char *provider,
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

  order_id = pd_sandbox_pesogate_read_string (&v, "order_id", TRUE, MAX_TEXT_LENGTH);
  if (order_id != NULL && g_hash_table_contains (self->order_ids, order_id))
    pd_sandbox_pesogate_add_error (errors, "order_id", "The order id has already been taken.");

  /* The amount's decimals depend on the currency, whose errors come next. */
  node = pd_sandbox_pesogate_member (body, "currency");
  if (node != NULL && pd_sandbox_pesogate_node_is_type (node, G_TYPE_STRING))
    currency = pd_sandbox_pesogate_lookup_currency (json_node_get_string (node));

  if ((node = pd_sandbox_pesogate_member (body, "amount")) == NULL)
    pd_sandbox_pesogate_add_error (errors, "amount", "The amount field is required.");
  else
    {
      g_autofree char *problem = pd_sandbox_pesogate_read_amount (node, currency, &amount);

      if (problem != NULL)
        pd_sandbox_pesogate_add_error (errors, "amount", problem);
    }

  currency_code = pd_sandbox_pesogate_read_string (&v, "currency", TRUE, MAX_TEXT_LENGTH);
  if (currency_code != NULL && currency == NULL)
    pd_sandbox_pesogate_add_error (errors, "currency", "The currency must be a valid ISO 4217 currency code.");

  provider = pd_sandbox_pesogate_read_string (&v, "payment_provider", TRUE, MAX_TEXT_LENGTH);
  if (provider != NULL && !g_strv_contains (providers, provider))
    {
      pd_sandbox_pesogate_add_error (errors, "payment_provider", "The selected payment provider is invalid.");
      provider = NULL;
    }

  card_number = pd_sandbox_pesogate_read_string (&v, "card_number", TRUE, MAX_TEXT_LENGTH);
  if (card_number != NULL)
    {
      gsize len = strlen (card_number);
      const char *problem = NULL;

      if (!pd_sandbox_pesogate_all_digits (card_number))
        problem = "The card number must contain only digits.";
      else if (len < 12 || len > 19)
        problem = "The card number must be between 12 and 19 digits.";
      /* The spec's tables win over Luhn: its decline card 4111 1111 1111 1112 fails it. */
      else if (find_test_card (card_number) == NULL && !pd_luhn_valid (card_number))
        problem = "The card number is not a valid card number.";

      if (problem != NULL)
        {
          pd_sandbox_pesogate_add_error (errors, "card_number", problem);
          card_number = NULL;
        }
    }

  month = pd_sandbox_pesogate_read_expiry_part (&v, "exp_month", TRUE);
  year = pd_sandbox_pesogate_read_expiry_part (&v, "exp_year", FALSE);
  if (month != 0 && year != 0)
    {
      g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc (pd_sandbox_pesogate_now (self));
      guint this_year = (guint) g_date_time_get_year (today);
      guint this_month = (guint) g_date_time_get_month (today);

      /* A card is valid through the last day of its expiry month. */
      if (year < this_year || (year == this_year && month < this_month))
        pd_sandbox_pesogate_add_error (errors, "exp_year", "The card has expired.");
    }

  cvv = pd_sandbox_pesogate_read_string (&v, "cvv", TRUE, MAX_TEXT_LENGTH);
  if (cvv != NULL)
    {
      gsize len = strlen (cvv);

      if (!pd_sandbox_pesogate_all_digits (cvv))
        pd_sandbox_pesogate_add_error (errors, "cvv", "The cvv must contain only digits.");
      else if (card_number == NULL)
        {
          if (len != 3 && len != 4)
            pd_sandbox_pesogate_add_error (errors, "cvv", "The cvv must be 3 or 4 digits.");
        }
      else if (g_str_equal (brand_of (card_number), "amex"))
        {
          if (len != 4)
            pd_sandbox_pesogate_add_error (errors, "cvv", "The cvv must be 4 digits for American Express cards.");
        }
      else if (len != 3)
        pd_sandbox_pesogate_add_error (errors, "cvv", "The cvv must be 3 digits.");
    }

  email = pd_sandbox_pesogate_read_string (&v, "customer_email", FALSE, MAX_TEXT_LENGTH);
  if (email != NULL && !pd_sandbox_pesogate_valid_email (email))
    pd_sandbox_pesogate_add_error (errors, "customer_email", "The customer email must be a valid email address.");
  name = pd_sandbox_pesogate_read_string (&v, "customer_name", FALSE, MAX_TEXT_LENGTH);
  phone = pd_sandbox_pesogate_read_string (&v, "customer_phone", FALSE, MAX_TEXT_LENGTH);
  return_url = pd_sandbox_pesogate_read_url (&v, "return_url");
  cancel_url = pd_sandbox_pesogate_read_url (&v, "cancel_url");

  if ((node = pd_sandbox_pesogate_member (body, "metadata")) != NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        metadata = json_node_get_object (node);
      else
        pd_sandbox_pesogate_add_error (errors, "metadata", "The metadata must be an object.");
    }

  if (json_object_get_size (errors) > 0)
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Validation failed", errors);
      return;
    }

  t = pd_sandbox_pesogate_transaction_add (self, order_id, pd_sandbox_pesogate_now (self));
  t->currency = currency;
  t->amount = amount;
  t->provider = g_strdup (provider);
  t->card_type = brand_of (card_number);
  pd_sandbox_pesogate_transaction_set_card (t, card_number);
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
    t->decline_reason = pd_sandbox_pesogate_decline_reason (provider, card_number);

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
      node = pd_sandbox_pesogate_member (body, "amount");
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
      g_autofree char *problem = pd_sandbox_pesogate_read_amount (node, t->currency, &amount);

      if (problem != NULL)
        {
          g_autoptr(JsonObject) errors = json_object_new ();

          pd_sandbox_pesogate_add_error (errors, "amount", problem);
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
      g_autofree char *left = pd_sandbox_pesogate_format_amount (t, remainder);
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

  if (route == ROUTE_STATUS
      ? !pd_sandbox_pesogate_method_is (msg, "GET") && !pd_sandbox_pesogate_method_is (msg, "HEAD")
      : !pd_sandbox_pesogate_method_is (msg, "POST"))
    {
      pd_sandbox_pesogate_reply_method_not_allowed (msg, route == ROUTE_STATUS ? "GET, HEAD" : "POST", TRUE);
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

  if ((t = pd_sandbox_pesogate_lookup_reference (self, parts[2])) == NULL)
    {
      pd_sandbox_reply_pesogate_error (msg, SOUP_STATUS_NOT_FOUND, "Transaction not found", NULL);
      return;
    }

  if (route == ROUTE_STATUS)
    handle_status (self, msg, t);
  else
    handle_refund (self, msg, t);
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
    pd_sandbox_pesogate_handle_3ds (self, msg, path);
  else
    pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_NOT_FOUND, "Not found", "<p>There is no such page.</p>");
}
