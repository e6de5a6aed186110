/*
** api_docs.c — documents over HTTP: uploads of materials, public
** verification of certificates (/api/v1/verify/CODE, and /verify/CODE that a
** QR code points to), certificate PDFs and revocation.
**
** Access that depends on the object is the case engine's (cases.h): an
** upload is read by its uploader and by who may see a case holding it, a
** certificate by who may see its case and by its holder and agents; a
** certificate is revoked through its case. A caller who may not see an
** object gets the same 404 as for one that does not exist, so nothing can
** be probed.
*/
#include "http.h"
#include "api.h"
#include "../base/jsonx.h"
#include "../domain/cases.h"
#include "../domain/docs.h"
#include "../domain/livelihood.h"

#include <stdlib.h>
#include <string.h>

static int upload(Req *r) {
  BlobInfo b;
  Err e = {0};
  if (docs_blob_put(r->store, &r->user, r->body.a, r->body.n, &b, &e)) return req_error(r, &e);
  return req_json(r, 201, json_pack("{s:s, s:s, s:I}", "sha256", b.sha256, "mime", b.mime, "size",
                                    (json_int_t)b.size));
}

/* ext_of() is the file name extension for a stored type. */
static const char *ext_of(const char *mime) {
  if (strcmp(mime, "application/pdf") == 0) return "pdf";
  if (strcmp(mime, "image/jpeg") == 0) return "jpg";
  if (strcmp(mime, "image/png") == 0) return "png";
  if (strcmp(mime, "application/ofd") == 0) return "ofd";
  return "bin";
}

static int upload_get(Req *r) {
  const char *sha = req_param(r, "sha256");
  BlobInfo b;
  Buf data = {0};
  Err e = {0};
  char disp[128];
  /* a 惠民实事's evidence: who may see its project */
  if (!cases_may_read_blob(store_reader(r->store), &r->user, sha) &&
      !livelihood_may_read_blob(store_reader(r->store), &r->user, sha))
    return req_fail(r, E_NOTFOUND, "upload.not_found", NULL, "没有找到该文件", "No such file");
  if (docs_blob_get(r->store, sha, &b, &data, &e)) {
    buf_free(&data);
    return req_error(r, &e);
  }
  /* Shown in the browser when it can (PDF, images); OFD is saved. */
  snprintf(disp, sizeof disp, "%s; filename=\"%.16s.%s\"",
           strcmp(b.mime, "application/ofd") == 0 ? "attachment" : "inline", b.sha256, ext_of(b.mime));
  req_header(r, "Content-Disposition", disp);
  return req_bytes(r, 200, b.mime, &data);
}

static int verify(Req *r) {
  Err e = {0};
  json_t *v = docs_cert_verify(r->store, req_param(r, "code"), &e);
  if (!v) return req_error(r, &e);
  return req_json(r, 200, v);
}

static int cert_pdf(Req *r) {
  const char *code = req_param(r, "code");
  char disp[96];
  Buf pdf = {0};
  Err e = {0};
  if (!cases_may_read_certificate(store_reader(r->store), &r->user, code))
    return req_fail(r, E_NOTFOUND, "cert.not_found", "code", "没有找到该证照，请核对证照编号",
                    "No certificate has this code; please check it");
  /* The QR code points at the configured public address: a request's Host
  ** header must not decide what an official document sends people to. */
  if (docs_cert_pdf(r->store, &r->user, code, r->public_url, &pdf, &e)) {
    buf_free(&pdf);
    return req_error(r, &e);
  }
  snprintf(disp, sizeof disp, "inline; filename=\"certificate-%.20s.pdf\"", code);
  req_header(r, "Content-Disposition", disp);
  return req_bytes(r, 200, "application/pdf", &pdf);
}

static int revoke(Req *r) {
  Err e = {0};
  json_t *c = cases_revoke_certificate(r->store, &r->user, req_param(r, "code"), r->json, &e);
  if (!c) return req_error(r, &e);
  json_decref(c);
  return verify(r);
}

static const Route routes[] = {
    {"POST", "/api/v1/uploads", upload, 0, 0, DOCS_MAX_UPLOAD,
     "上传材料（请求体为文件本身：PDF、JPEG、PNG 或 OFD）",
     "Upload a material (the body is the file: PDF, JPEG, PNG or OFD)"},
    {"GET", "/api/v1/uploads/{sha256}", upload_get, 0, 0, 0, "下载材料（上传者，或可查看使用该材料办件的人）",
     "Download a material (its uploader, or who may see a case using it)"},
    {"GET", "/api/v1/verify/{code}", verify, R_PUBLIC, 0, 0, "核验证照真伪（公开）",
     "Verify a certificate (public)"},
    {"GET", "/verify/{code}", verify, R_PUBLIC, 0, 0, "证照核验页（二维码地址；浏览器得到网页，其他得到 JSON）",
     "Certificate check page (the QR code's address; HTML for browsers, else JSON)"},
    {"GET", "/api/v1/certificates/{code}/pdf", cert_pdf, 0, 0, 0, "下载证照 PDF（持证人及其代办人，或可查看其办件的人）",
     "Certificate PDF (its holder and agents, or who may see its case)"},
    {"POST", "/api/v1/certificates/{code}/revoke", revoke, R_JSON, ROLE_APPROVER | ROLE_ADMIN, 4096,
     "撤销证照（经其办件的撤销决定，限发证部门）", "Revoke a certificate (through its case, by the issuing department)"},
};

void api_docs_register(void) { router_add(routes, XQ_COUNT(routes), "docs"); }
