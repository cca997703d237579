/* pd-sandbox.h: a simulator of the PesoGate and PaysGator APIs on loopback */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Fixed test credentials, printed at start. */
#define PD_SANDBOX_PESOGATE_API_KEY     "pk_sandbox_5f2b8c1e9a7d4360"
#define PD_SANDBOX_PESOGATE_API_SECRET  "sk_sandbox_c41d7e0b93a26f58e1b7"
#define PD_SANDBOX_PAYSGATOR_LIVE_KEY   "live_sandbox_8e3f1a6c2d9b4705"
#define PD_SANDBOX_PAYSGATOR_TEST_KEY   "test_sandbox_2a7c9e4f1b6d8035"

/* Where each API lives under the sandbox's origin. */
#define PD_SANDBOX_PESOGATE_PREFIX  "/pesogate"
#define PD_SANDBOX_PAYSGATOR_PREFIX "/paysgator"
#define PD_SANDBOX_API_PATH         "/api/v1"

#define PD_SANDBOX_DEFAULT_RATE_LIMIT 100

#define PD_TYPE_SANDBOX (pd_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (PdSandbox, pd_sandbox, PD, SANDBOX, GObject)

PdSandbox   *pd_sandbox_new                (gboolean    demo);
void         pd_sandbox_set_rate_limit     (PdSandbox  *self,
                                            guint       requests_per_minute);
gboolean     pd_sandbox_listen             (PdSandbox  *self,
                                            guint       port,
                                            GError    **error);
void         pd_sandbox_disconnect         (PdSandbox  *self);
guint        pd_sandbox_get_port           (PdSandbox  *self);
char        *pd_sandbox_dup_origin         (PdSandbox  *self);
char        *pd_sandbox_dup_pesogate_url   (PdSandbox  *self);
char        *pd_sandbox_dup_paysgator_url  (PdSandbox  *self);
GStrv        pd_sandbox_dup_plan_ids       (PdSandbox  *self);
char        *pd_sandbox_describe_json      (PdSandbox  *self);
char        *pd_sandbox_describe_text      (PdSandbox  *self);
void         pd_sandbox_advance_clock      (PdSandbox  *self,
                                            gint64      seconds);

G_END_DECLS
