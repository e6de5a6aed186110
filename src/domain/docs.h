/*
** docs.h — documents: PDF notices and certificates (cairo + pango, Noto CJK),
** certificates signed with Ed25519 and carrying a QR code for /verify/CODE,
** and uploaded materials stored by SHA-256 with their type checked by
** content (libmagic).
**
** Notices are not stored as PDF: the case engine stores each notice's data
** as JSON and the PDF is rendered from it on request, so the same notice
** always renders the same text.
*/
#ifndef XINQU_DOCS_H
#define XINQU_DOCS_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/buf.h"
#include "../base/rate.h"
#include "../store/store.h"
#include "accounts.h"

/* ---- Keys ---------------------------------------------------------------- */

/* docs_init() loads the signing key pair (Ed25519) from the database,
** creating and storing one (with its audit event) when there is none. Call
** once after store_migrate() in every process that issues or verifies
** certificates. Returns 0 or -1 with *e. */
int docs_init(Store *s, Err *e);

/* docs_sign() signs the n bytes at msg with the active signing key, read
** on db (the writer's, inside a write job, or a reader). Fills *key_id and
** sighex (the 64-byte signature in hex, 129 bytes with the NUL). The secret
** is wiped. Returns 0, or -1 with *e (cert.no_key when docs_init() has not
** made the key). Allocates nothing. */
int docs_sign(Db *db, const void *msg, size_t n, int64_t *key_id, char sighex[129], Err *e);

/* docs_public_key() reads signing key key_id's public key, in hex, into
** pkhex (65 bytes). Returns 1, 0 when there is no such key, -1 with *e. */
int docs_public_key(Db *db, int64_t key_id, char pkhex[65], Err *e);

/* docs_signature_ok() is true when sighex is the Ed25519 signature, by the
** public key pkhex, of the n bytes at msg. */
bool docs_signature_ok(const char *pkhex, const void *msg, size_t n, const char *sighex);

/* DocsLimits: what one account may ask of this module (serve options).
** The rates are per account (rate.h, in this process's memory). */
typedef struct DocsLimits {
  int64_t upload_quota; /* bytes of uploads an account may have stored (the blobs it
                           stored first; an upload of bytes already stored costs
                           nothing); default 200 MiB */
  Rate upload_rate;     /* uploads per account (default 60 a minute, 60 at once) */
  Rate pdf_rate;        /* certificate PDFs rendered per account (one served from the
                           cache is not counted); default 30 a minute, 30 at once */
} DocsLimits;

/* docs_limits_set() sets the limits for the process; members left 0 keep
** their defaults. Call before serving. */
void docs_limits_set(const DocsLimits *l);

/* docs_shutdown() releases what the module keeps for the process (the font
** map, fontconfig's and cairo's caches, the libmagic handle), so a leak
** checker sees a clean exit. Call it last, when no thread renders or
** uploads any more; the next document would set them up again. */
void docs_shutdown(void);

/* ---- Notices ------------------------------------------------------------- */

/* Notice kinds and their titles. */
typedef enum eNotice {
  NOTICE_ACCEPT = 1,      /* 受理通知书 */
  NOTICE_ACCEPT_RONGQUE,  /* 容缺受理通知书: missing materials + supplement deadline */
  NOTICE_CORRECTION,      /* 补正告知书: every deficiency at once */
  NOTICE_REFUSE,          /* 不予受理决定书: reason */
  NOTICE_APPROVE,         /* 准予许可决定书 */
  NOTICE_DENY,            /* 不予许可决定书: reason */
  NOTICE_RECEIPT,         /* 办事回执 (kiosk) */
  NOTICE_REVOKE           /* 撤销决定书: reason */
} eNotice;

const char *docs_notice_name(eNotice k);   /* "accept", "accept_rongque", … */
const char *docs_notice_title(eNotice k);  /* "受理通知书", … */
eNotice docs_notice_parse(const char *name); /* 0 when unknown */

/*
** docs_notice_pdf() renders one notice. data (borrowed) is an object:
**   {"kind": "accept_rongque", "number": "JP〔2026〕受字第000123号",
**    "case_no": "…", "applicant": "…", "item": "…", "department": "…",
**    "date": "2026-11-29", "lines": ["…", …]   (materials, deficiencies),
**    "deadline": "2026-12-04" (optional), "reason": "…" (optional),
**    "seal": "大连金普新区行政审批局",
**    "follow_url": "https://…/cases/…" (optional: printed as a QR code to
**    follow the case, ≤ 500 bytes) }
** Required: kind, number, case_no, applicant, item, department, date; also
** lines and deadline for accept_rongque, lines for correction, reason for
** refuse and deny. seal defaults to department. Dates are YYYY-MM-DD and
** print as 2026年11月29日; lines print numbered (≤ 100, each ≤ 500
** characters). Appends the PDF (A4, as many pages as the lines need) to
** *out. Returns 0 or -1 with *e (notice.bad_kind, notice.missing_field,
** notice.bad_field, notice.bad_date, each naming the field).
*/
int docs_notice_pdf(const json_t *data, Buf *out, Err *e);

/* docs_qr_svg() appends to *out an SVG image of a QR code of text (≤ 500
** bytes; a screen shows it, e.g. the kiosk's receipt with the address to
** follow a case). 0, or -1 with *e (docs.qr). */
int docs_qr_svg(const char *text, Buf *out, Err *e);

/* ---- The board's report --------------------------------------------------- */

/*
** docs_board_pdf() appends to *out the PDF (A4, as many pages as it needs)
** of the leaders' board's month report, drawn from board (borrowed): the
** JSON of GET /api/v1/board as /work/notes/board_contract.md gives it.
** Title 大连金普新区 + board.title, 生成日期 (board.today), 数据截至, a
** red 演示数据 mark when board.demo; 一、主要经济指标 (a table of every
** indicator: value with its period, growth marked * when official, share,
** target, progress/time, status with a coloured dot; its header repeated
** on each page); 二、重点指标走势 (vector charts of the first 8 indicators
** with a target: this year's and last year's period values as bars, the
** cumulative growth as a line on a second axis; nulls are gaps; how many
** were left out is said); 三、惠民实事 (counts, mean progress, progress by
** department, the projects behind); 四、各领域 (a table per panel with
** each figure's months as small bars). Each page's foot: 第 N 页 / 共 M 页.
** Amounts print as the JSON's strings; a member missing, null or of
** another type prints as — and never fails. Holds the module's PDF lock
** while it draws. Returns 0, or -1 with *e: board.pdf when board is not
** an object (NULL included), docs.pdf when cairo fails (*out is then as
** it was).
*/
int docs_board_pdf(const json_t *board, Buf *out, Err *e);

/* docs_pdf_take() takes one of actor's DocsLimits.pdf_rate tokens for a
** report PDF about to be rendered (kind names the rate's bucket, e.g.
** "board.pdf"): 0, or -1 with rate.limited (429, retry_after set). */
int docs_pdf_take(const User *actor, const char *kind, Err *e);

/* ---- Application forms (申请表) -------------------------------------------- */

/* What an application form is drawn from: the item and its form spec. */
typedef struct FormSheet {
  int64_t version_id;     /* the item version (the rendered PDF is kept under it); 0: not kept */
  const char *item_code;  /* 事项编码 */
  const char *item_name;  /* the title */
  const char *material;   /* the material's name, e.g. "申请书（表）" */
  const json_t *fields;   /* the item's form spec (borrowed, may be NULL): [{name, label, type,
                             choices?, min?, max?}…], shown by label in order */
  bool sample;            /* a 样表 (filled with plausible values, marked 样表 across
                             the page) rather than a blank form */
} FormSheet;

/* docs_form_pdf() appends to *out the PDF (A4) of an item's 申请表: the
** item's name as title, the material's name, a table of the applicant's
** block (申请人名称, 统一社会信用代码/身份证号, 联系人, 联系电话, 地址), a
** table of the item's form fields by label (申请内容及理由 for an item
** without fields), the applicant's promise, then
** 申请人（签章） and 日期. Blank: the value cells empty. Sample: filled with
** plausible values and a diagonal 样表 watermark. PDFs of an item version
** are kept (as certificates' are), so anonymous downloads render each once.
** Returns 0 or -1 with *e (docs.form_sheet, docs.pdf). */
int docs_form_pdf(const FormSheet *f, Buf *out, Err *e);

/* ---- Certificates -------------------------------------------------------- */

typedef struct CertSpec {
  int64_t case_id;           /* the case that issued it (0 for none) */
  char kind[124];            /* 证照名称, e.g. "食品经营许可证" */
  char holder_party[40];     /* USCC or ID number */
  char holder_name[404];
  char item_code[40];
  char issuer[164];          /* issuing department's name (the seal text) */
  char issued_on[11];        /* YYYY-MM-DD */
  char valid_until[11];      /* YYYY-MM-DD, "" = long-term */
  json_t *fields;            /* extra fields shown on the certificate (borrowed, may be NULL):
                                {label: text} shown in key order, or [[label, text]…] in
                                that order; ≤ 20, labels ≤ 20 and text ≤ 300 characters */
} CertSpec;

/* docs_cert_issue() writes a certificate inside the caller's write job on db:
** a new code (20 characters, unguessable), the canonical payload, its Ed25519
** signature, status "valid"; and the audit event "cert.issue". code gets
** the new code (cap ≥ 32). The payload is compact JSON with sorted keys:
**   {case_id, code, fields: [[label, value]…], holder_name, holder_party,
**    issued_on, issuer, item_code, key_id, kind, v: 1, valid_until}
** Needs the key docs_init() makes (cert.no_key otherwise). Returns 0 or -1
** with *e (cert.bad_kind, cert.bad_holder, cert.bad_date, cert.bad_fields,
** cert.bad_issuer, cert.bad_item, cert.bad_case). */
int docs_cert_issue(Db *db, const User *actor, const CertSpec *c, char *code, size_t cap, Err *e);

/* docs_cert_revoke() marks a certificate revoked with reason, in the caller's
** write job (so a case can revoke in the same transaction), with its audit
** event "cert.revoke". reason: 2–200 characters (cert.bad_reason).
** Revoking a revoked certificate changes nothing and succeeds. -1 with
** cert.not_found. */
int docs_cert_revoke(Db *db, const User *actor, const char *code, const char *reason, Err *e);

/* docs_cert_supersede() voids, in the caller's write job, every valid
** certificate of kind held by holder (a licence reissued or changed: the
** one before is void), with reason and one audit event "cert.supersede".
** Returns 0 (also when there was none) or -1 with *e. */
int docs_cert_supersede(Db *db, const User *actor, const char *kind, const char *holder, const char *reason,
                        Err *e);

/* docs_cert_verify() answers /verify/CODE (any case): a new object
**   {code, genuine (the signature checks with the key that signed it, and
**    the row's columns still say what was signed), status ("valid" |
**    "expired" | "revoked"), status_label (有效/已过期/已撤销), kind,
**    holder_name, holder_party (a USCC as is; a person's number masked:
**    first 6 and last 4 kept, first and last 2 of a shorter one), issuer,
**    issued_on, valid_until ("" = long-term), fields ([[label, value]…]),
**    revoked_at? (ISO time), revoke_reason?}
** The shown values come from the signed payload. NULL with cert.not_found
** (also for a code that cannot be one). */
json_t *docs_cert_verify(Store *s, const char *code, Err *e);

/* Whom a certificate concerns, for the caller's access checks. */
typedef struct CertOwner {
  char party[40];   /* holder_party */
  int64_t case_id;  /* the case that issued it, 0 for none */
  bool revoked;
} CertOwner;

/* docs_cert_holder() reads whom certificate code concerns through db. -1
** with cert.not_found. */
int docs_cert_holder(Db *db, const char *code, CertOwner *o, Err *e);

/* docs_cert_pdf() appends to *out the PDF of certificate code, with a QR
** code of base_url "/verify/" code (base_url comes from the server's
** configuration, never from a request). PDFs rendered lately are kept
** (at most 64 of them and 48 MB), keyed by the code, the certificate's
** status (valid, expired, revoked: what the PDF shows changes only with it)
** and base_url; one found there is served as it is. A PDF that must be rendered costs actor (when
** not NULL) a token of DocsLimits.pdf_rate: -1 with rate.limited (429,
** retry_after set) when none is left. -1 with cert.not_found. */
int docs_cert_pdf(Store *s, const User *actor, const char *code, const char *base_url, Buf *out,
                  Err *e);

/* ---- Uploaded materials ---------------------------------------------------- */

#define DOCS_MAX_UPLOAD (20u << 20)

typedef struct BlobInfo {
  char sha256[65];
  char mime[64];       /* "application/pdf", "image/jpeg", "image/png", "application/ofd" */
  int64_t size;
  int64_t owner_id;    /* account that first uploaded it */
} BlobInfo;

/* docs_blob_put() checks the content's type (PDF, JPEG, PNG or OFD, by
** content, not by name; upload.bad_type otherwise), its size (≤
** DOCS_MAX_UPLOAD, upload.too_large; not empty, upload.empty), and stores it
** once by SHA-256 (a second upload of the same bytes stores nothing new),
** recording that actor may read it. Fills *out. One transaction with its
** audit event. An actor's uploads are limited: a token of
** DocsLimits.upload_rate each (rate.limited, 429, with retry_after), and
** new bytes only up to DocsLimits.upload_quota stored in all (upload.quota,
** 429). */
int docs_blob_put(Store *s, const User *actor, const void *data, size_t n, BlobInfo *out, Err *e);

/* docs_blob_get() reads a blob's info and, when data is not NULL, appends its
** bytes. -1 with upload.not_found. Access control is the caller's. */
int docs_blob_get(Store *s, const char *sha256, BlobInfo *info, Buf *data, Err *e);

/* docs_blob_grant() records, inside the caller's write job, that account
** account_id may read blob sha256 (the uploader is recorded by
** docs_blob_put(); the case engine grants the officials of a case). Granting
** twice is harmless. Returns 0 or -1 with *e. */
int docs_blob_grant(Db *db, const char *sha256, int64_t account_id, Err *e);

/* docs_blob_readable() is true when account account_id is recorded as a
** reader of the blob (docs_blob_put() records the uploader). */
bool docs_blob_readable(Db *db, const char *sha256, int64_t account_id);

#endif
