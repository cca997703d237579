/* pd-sandbox-pesogate.h: the PesoGate half of the sandbox */
#pragma once

#include "pd-sandbox-private.h"

G_BEGIN_DECLS

#define PD_TYPE_SANDBOX_PESOGATE (pd_sandbox_pesogate_get_type ())

G_DECLARE_FINAL_TYPE (PdSandboxPesogate, pd_sandbox_pesogate, PD, SANDBOX_PESOGATE, GObject)

PdSandboxPesogate *pd_sandbox_pesogate_new       (PdSandbox         *sandbox);
/* @path is what follows PD_SANDBOX_PESOGATE_PREFIX ("/api/v1/payments/initialize",
 * "/3ds/…"). Requests under /api/v1 arrive under the rate limit (PdSandbox
 * answers 429 beyond it); the gateway checks the credentials itself. */
void               pd_sandbox_pesogate_handle    (PdSandboxPesogate *self,
                                                  SoupServerMessage *msg,
                                                  const char        *path);
void               pd_sandbox_pesogate_seed_demo (PdSandboxPesogate *self);
/* References of every transaction the sandbox holds, newest first (the app
 * imports the demo ones into its ledger: the API itself cannot list). */
GStrv              pd_sandbox_pesogate_dup_references (PdSandboxPesogate *self);

G_END_DECLS
