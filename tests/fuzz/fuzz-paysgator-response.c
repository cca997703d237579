/* libFuzzer target: PaysGator's answers, wrapped or bare
 *
 * The input is parsed as JSON and handed to every parser, and once more
 * inside {"success": true, "data": …} so both of the spec's shapes are
 * explored from one input. Beyond not crashing, what a parser accepts must
 * hold what the app relies on: ids, exact amounts in known currencies.
 */
#define G_LOG_DOMAIN "fuzz-paysgator-response"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pd-error.h"
#include "pd-money.h"
#include "pd-paysgator-private.h"

/* json-glib 1.6 recurses without limit; pd-http refuses deeper answers. */
#define MAX_NESTING 64

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
check_all (JsonNode *node)
{
  g_autoptr(PdPaymentLink) link = NULL;
  g_autoptr(PdPaymentConfirmation) confirmation = NULL;
  g_autoptr(PdWallet) wallet = NULL;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(PdSubscription) subscription = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) link_error = NULL;
  g_autoptr(GError) confirmation_error = NULL;
  g_autoptr(GError) wallet_error = NULL;
  g_autoptr(GError) transaction_error = NULL;
  g_autoptr(GError) subscription_error = NULL;
  g_autoptr(GError) list_error = NULL;

  link = pd_paysgator_parse_payment_link (node, &link_error);
  if (link == NULL)
    check_error (link_error);
  else
    {
      g_assert_nonnull (pd_payment_link_get_id (link));
      g_assert_nonnull (pd_payment_link_get_checkout_url (link));
    }

  confirmation = pd_paysgator_parse_confirmation (node, "KWD", &confirmation_error);
  if (confirmation == NULL)
    check_error (confirmation_error);
  else
    {
      g_assert_nonnull (confirmation->transaction_id);
      g_assert_cmpint (confirmation->fee.minor, >=, 0);
      g_assert_cmpint (confirmation->net_amount.minor, >=, 0);
      g_assert_cmpstr (confirmation->fee.currency, ==, "KWD");
    }

  wallet = pd_paysgator_parse_wallet (node, &wallet_error);
  if (wallet == NULL)
    check_error (wallet_error);
  else
    g_assert_true (pd_money_currency_is_known (pd_wallet_get_currency (wallet)));

  transaction = pd_paysgator_parse_transaction (node, &transaction_error);
  if (transaction == NULL)
    check_error (transaction_error);
  else
    {
      g_assert_nonnull (pd_transaction_get_reference (transaction));
      g_assert_cmpint (pd_transaction_get_amount (transaction), >=, 0);
      g_assert_true (pd_money_currency_is_known (pd_transaction_get_currency (transaction)));
    }

  subscription = pd_paysgator_parse_subscription (node, &subscription_error);
  if (subscription == NULL)
    check_error (subscription_error);
  else
    g_assert_nonnull (pd_subscription_get_id (subscription));

  list = pd_paysgator_parse_subscription_list (node, &list_error);
  if (list == NULL)
    check_error (list_error);
  else
    for (guint i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(PdSubscription) item = g_list_model_get_item (list, i);

        g_assert_nonnull (pd_subscription_get_id (item));
      }
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonObject) wrapper = NULL;
  g_autoptr(JsonNode) wrapped = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  JsonNode *root;

  if (nested_too_deep (text))
    return 0;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return 0;
  root = json_parser_get_root (parser);

  check_all (root);

  if (root != NULL)
    {
      wrapper = json_object_new ();
      json_object_set_boolean_member (wrapper, "success", TRUE);
      json_object_set_member (wrapper, "data", json_node_copy (root));
      wrapped = json_node_init_object (json_node_alloc (), wrapper);
      check_all (wrapped);
    }

  check_all (NULL);
  return 0;
}
