/* libFuzzer target: PesoGate's answers to initialize, status and refund
 *
 * The first byte picks the HTTP status the answer came with; the rest is
 * parsed as JSON and handed to every parser. Beyond not crashing, what a
 * parser accepts must hold what the app relies on: a reference, an exact
 * non-negative amount in a known currency, at most four digits of a card.
 */
#define G_LOG_DOMAIN "fuzz-pesogate-response"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pd-error.h"
#include "pd-http.h"
#include "pd-money.h"
#include "pd-pesogate-private.h"

/* json-glib 1.6 recurses without limit; pd-http refuses deeper answers. */
#define MAX_NESTING 64

static const guint statuses[] = { 200, 201, 204, 400, 401, 402, 404, 409, 422, 429, 500, 502 };

static gboolean
nested_too_deep (const char *text)
{
  guint open = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '[' || *p == '{')
      open++;
  return open > MAX_NESTING;
}

static void
check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == PD_GATEWAY_ERROR);
  g_assert_nonnull (error->message);
}

static void
check_initialize (guint     status,
                  JsonNode *node)
{
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = pd_pesogate_parse_initialize (status, node, "https://gateway.example/", &error);
  if (outcome == NULL)
    {
      check_error (error);
      return;
    }

  g_assert_null (error);
  g_assert_nonnull (pd_payment_outcome_get_transaction_reference (outcome));
  switch (pd_payment_outcome_get_kind (outcome))
    {
    case PD_PAYMENT_OUTCOME_REDIRECT:
      g_assert_true (SOUP_STATUS_IS_SUCCESSFUL (status));
      g_assert_true (pd_http_check_base_url (pd_payment_outcome_get_redirect_url (outcome), NULL));
      break;
    case PD_PAYMENT_OUTCOME_RENDER_HTML:
      g_assert_true (SOUP_STATUS_IS_SUCCESSFUL (status));
      g_assert_nonnull (pd_payment_outcome_get_html_content (outcome));
      g_assert_cmpstr (pd_payment_outcome_get_base_uri (outcome), ==, "https://gateway.example/");
      break;
    case PD_PAYMENT_OUTCOME_FINAL:
      g_assert_true (status < 500);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
check_status (JsonNode *node)
{
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  const char *last_four;

  transaction = pd_pesogate_parse_status (node, "REF", &error);
  if (transaction == NULL)
    {
      check_error (error);
      return;
    }

  g_assert_cmpint (pd_transaction_get_amount (transaction), >=, 0);
  g_assert_true (pd_money_currency_is_known (pd_transaction_get_currency (transaction)));
  g_assert_nonnull (pd_transaction_get_gateway_status (transaction));
  last_four = pd_transaction_get_card_last_four (transaction);
  g_assert_true (last_four == NULL || strlen (last_four) <= 4);
  g_assert_true (pd_transaction_is_valid_last_four (last_four));
}

static void
check_refund (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!pd_pesogate_parse_refund (node, &message, &error))
    check_error (error);
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;
  guint status;

  if (size < 1)
    return 0;

  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  text = g_strndup ((const char *) data + 1, size - 1);
  if (nested_too_deep (text))
    return 0;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return 0;
  root = json_parser_get_root (parser);

  check_initialize (status, root);
  check_status (root);
  check_refund (root);

  /* What pd-http hands over for an answer without a body. */
  check_initialize (status, NULL);
  check_status (NULL);
  check_refund (NULL);

  return 0;
}
