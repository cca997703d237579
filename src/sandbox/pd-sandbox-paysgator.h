/* pd-sandbox-paysgator.h: the PaysGator half of the sandbox */
#pragma once

#include "pd-sandbox-private.h"

G_BEGIN_DECLS

#define PD_TYPE_SANDBOX_PAYSGATOR (pd_sandbox_paysgator_get_type ())

G_DECLARE_FINAL_TYPE (PdSandboxPaysgator, pd_sandbox_paysgator, PD, SANDBOX_PAYSGATOR, GObject)

PdSandboxPaysgator *pd_sandbox_paysgator_new          (PdSandbox          *sandbox);
/* @path is what follows PD_SANDBOX_PAYSGATOR_PREFIX ("/api/v1/wallet/balance",
 * "/checkout/…"). Requests under /api/v1 arrive under the rate limit (PdSandbox
 * answers 429 beyond it); the gateway checks the key and its mode itself. */
void                pd_sandbox_paysgator_handle       (PdSandboxPaysgator *self,
                                                       SoupServerMessage  *msg,
                                                       const char         *path);
void                pd_sandbox_paysgator_seed_demo    (PdSandboxPaysgator *self);
/* Ids of the seeded subscription plans (always present, demo or not). */
GStrv               pd_sandbox_paysgator_dup_plan_ids (PdSandboxPaysgator *self);
/* Ids of the transactions and subscriptions of one mode, newest first (the
 * app imports the demo ones into its ledger: the API cannot list transactions). */
GStrv               pd_sandbox_paysgator_dup_transaction_ids  (PdSandboxPaysgator *self,
                                                               gboolean            live);
GStrv               pd_sandbox_paysgator_dup_subscription_ids (PdSandboxPaysgator *self,
                                                               gboolean            live);

G_END_DECLS
