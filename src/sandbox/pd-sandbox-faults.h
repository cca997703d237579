/* pd-sandbox-faults.h: failures the sandbox serves on purpose, for tests */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  PD_SANDBOX_FAULT_HTTP_500,    /* 500 with the gateway's JSON error body */
  PD_SANDBOX_FAULT_HTTP_502,    /* 502 with an HTML page, as a proxy sends */
  PD_SANDBOX_FAULT_HTTP_503,    /* 503 with an HTML page */
  PD_SANDBOX_FAULT_MALFORMED,   /* 200 with JSON that does not parse */
  PD_SANDBOX_FAULT_TRUNCATED,   /* 200 whose body stops before Content-Length */
  PD_SANDBOX_FAULT_HUGE,        /* 200 with a 10 MB JSON body */
  PD_SANDBOX_FAULT_DELAY,       /* the real answer, delay_ms late */
  PD_SANDBOX_FAULT_RESET,       /* the connection reset, no answer */
  PD_SANDBOX_FAULT_RATE_LIMIT,  /* 429 with Retry-After */
} PdSandboxFaultKind;

typedef struct
{
  PdSandboxFaultKind kind;
  char              *path_prefix;
  guint              remaining;
  guint              delay_ms;
  guint              retry_after;
  gboolean           after_processing;
} PdSandboxFault;

#define PD_TYPE_SANDBOX_FAULTS (pd_sandbox_faults_get_type ())

G_DECLARE_FINAL_TYPE (PdSandboxFaults, pd_sandbox_faults, PD, SANDBOX_FAULTS, GObject)

PdSandboxFaults *pd_sandbox_faults_new      (void);
gboolean         pd_sandbox_faults_add_json (PdSandboxFaults   *self,
                                             JsonObject        *spec,
                                             GError           **error);
void             pd_sandbox_faults_clear    (PdSandboxFaults   *self);
/* The fault for the next request to @path (its count goes down), or NULL. */
PdSandboxFault  *pd_sandbox_faults_take     (PdSandboxFaults   *self,
                                             const char        *path);
void             pd_sandbox_fault_free      (PdSandboxFault    *fault);
/* Answers @msg as @fault says (any kind but DELAY). @paysgator picks the
 * error body format. */
void             pd_sandbox_fault_apply     (const PdSandboxFault *fault,
                                             SoupServerMessage    *msg,
                                             gboolean              paysgator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSandboxFault, pd_sandbox_fault_free)

G_END_DECLS
