/// The one stylesheet of the sign-in pages. The logo is an inline SVG data URI (CSP `img-src data:`).
enum Stylesheet {
    static let css = """
    :root{--ink:#1b1f24;--muted:#5b6572;--line:#d8dde3;--brand:#326ce5;--brand-dark:#2454b8;--bg:#eef2f7;--danger:#b42318;--ok:#067647}
    *{box-sizing:border-box}
    html,body{margin:0;padding:0}
    body{min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;background:linear-gradient(160deg,#e8eefb 0%,var(--bg) 45%,#f7f9fc 100%);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink)}
    .card{width:100%;max-width:440px;background:#fff;border:1px solid var(--line);border-radius:10px;box-shadow:0 12px 32px rgba(23,43,77,.10),0 2px 6px rgba(23,43,77,.06);padding:40px 44px 36px;margin:24px 16px 12px}
    .brand{display:flex;align-items:center;gap:10px;margin-bottom:22px}
    .logo{width:30px;height:30px;display:inline-block;background:url("data:image/svg+xml;utf8,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath fill='%23326ce5' d='M16 1.5 28.6 7.6 31.7 21.3 23 32.3H9L.3 21.3 3.4 7.6z'/%3E%3Ccircle cx='16' cy='16.5' r='6.2' fill='none' stroke='%23fff' stroke-width='2.4'/%3E%3Cpath stroke='%23fff' stroke-width='2.4' stroke-linecap='round' d='M16 6.5v3.6M16 22.9v3.6M6.5 16.5h3.6M21.9 16.5h3.6'/%3E%3C/svg%3E") center/contain no-repeat}
    .wordmark{font-weight:700;font-size:20px;letter-spacing:-.02em;color:#1d2b4f}
    .org{margin:0 0 4px;color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.06em}
    h1{font-size:24px;font-weight:600;margin:0 0 14px;letter-spacing:-.01em}
    p{margin:0 0 14px}
    .lead{color:var(--muted)}
    label{display:block;font-weight:600;font-size:13px;margin:14px 0 6px}
    input[type=text],input[type=email],input[type=password]{width:100%;padding:10px 12px;font:inherit;border:1px solid #b9c1cc;border-radius:6px;background:#fff;color:var(--ink)}
    input:focus{outline:3px solid rgba(50,108,229,.25);border-color:var(--brand)}
    input.code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:22px;letter-spacing:.18em;text-transform:uppercase;text-align:center}
    .actions{display:flex;gap:10px;justify-content:flex-end;margin-top:24px}
    button{font:inherit;font-weight:600;border-radius:6px;padding:9px 20px;cursor:pointer;border:1px solid transparent}
    button.primary{background:var(--brand);color:#fff}
    button.primary:hover{background:var(--brand-dark)}
    button.secondary{background:#fff;color:var(--ink);border-color:#b9c1cc}
    button.secondary:hover{background:#f3f5f8}
    button.link{background:none;border:none;color:var(--brand);padding:0;font-weight:500}
    .notice{border-radius:6px;padding:10px 12px;margin:0 0 16px;font-size:14px}
    .notice.error{background:#fef3f2;border:1px solid #fecdca;color:var(--danger)}
    .notice.info{background:#eff4ff;border:1px solid #c7d7fe;color:#1e3a8a}
    .notice.success{background:#ecfdf3;border:1px solid #abefc6;color:var(--ok)}
    dl.details{margin:4px 0 8px;border:1px solid var(--line);border-radius:8px;padding:4px 14px}
    .detail{display:flex;justify-content:space-between;gap:16px;padding:8px 0;border-bottom:1px solid #eef0f3}
    .detail:last-child{border-bottom:none}
    dt{color:var(--muted);font-size:13px;white-space:nowrap}
    dd{margin:0;text-align:right;font-size:14px;word-break:break-word}
    .account{display:flex;align-items:center;gap:10px;padding:10px 12px;border:1px solid var(--line);border-radius:8px;margin:0 0 14px}
    .avatar{width:32px;height:32px;border-radius:50%;background:#dbe6fd;color:var(--brand-dark);display:flex;align-items:center;justify-content:center;font-weight:700}
    .warning{font-size:13px;color:var(--muted);border-left:3px solid #f79009;padding-left:10px}
    .done{font-size:44px;line-height:1;margin:0 0 10px;color:var(--ok)}
    .done.cancelled{color:var(--muted)}
    .footer{color:var(--muted);font-size:12px;display:flex;gap:6px;flex-wrap:wrap;justify-content:center;padding:0 16px 24px}
    form.inline{display:inline}
    .small{font-size:13px;color:var(--muted)}
    .card.wide{max-width:1080px;padding:32px 40px 28px}
    h2{font-size:17px;font-weight:600;margin:0 0 8px;display:flex;align-items:center;gap:8px}
    h3{font-size:16px;font-weight:600;margin:0 0 2px;display:flex;align-items:center;gap:8px}
    .count{font-size:12px;font-weight:600;background:#eef2f7;color:var(--muted);border-radius:999px;padding:1px 8px}
    .pim-bar{display:flex;justify-content:space-between;align-items:center;gap:16px;margin:0 0 18px}
    .pim-bar .account{margin:0}
    .pim-section{margin:26px 0 0}
    .pim-card{display:grid;grid-template-columns:minmax(0,1.6fr) minmax(0,1fr);gap:22px;border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:10px 0 12px;background:#fbfcfe}
    .pim-card-side{border-left:1px solid #eef0f3;padding-left:20px}
    .pim-card label{margin-top:4px}
    .pim-card .actions{margin-top:12px}
    select,textarea{width:100%;padding:9px 11px;font:inherit;border:1px solid #b9c1cc;border-radius:6px;background:#fff;color:var(--ink)}
    textarea{resize:vertical;min-height:58px}
    select:focus,textarea:focus{outline:3px solid rgba(50,108,229,.25);border-color:var(--brand)}
    ul.rules{list-style:none;padding:0;margin:10px 0 0;display:flex;flex-wrap:wrap;gap:6px}
    ul.rules li{font-size:12px;background:#eef2f7;color:#344054;border-radius:999px;padding:2px 10px}
    ul.rules li.warn{background:#fffaeb;color:#93370d}
    table.grid{width:100%;border-collapse:collapse;font-size:14px;margin:6px 0 0;border:1px solid var(--line);border-radius:8px;overflow:hidden}
    table.grid th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);font-weight:600;padding:8px 10px;border-bottom:1px solid var(--line);background:#f5f7fa}
    table.grid td{padding:9px 10px;border-bottom:1px solid #eef0f3;vertical-align:middle}
    table.grid tr:last-child td{border-bottom:none}
    table.grid.compact td{padding:6px 10px;font-size:13px;background:#fff}
    td.right{text-align:right;white-space:nowrap}
    table.grid td strong{white-space:nowrap}
    .badge{display:inline-block;font-size:11px;font-weight:600;padding:2px 8px;border-radius:999px;background:#eef2f7;color:#344054;letter-spacing:.02em}
    .badge.member{background:#dbe6fd;color:var(--brand-dark)}
    .badge.owner{background:#fef0c7;color:#93370d}
    .badge.ok{background:#ecfdf3;color:var(--ok);margin-left:6px}
    .state{font-weight:600;border-radius:8px;padding:10px 12px;margin:0}
    .state.active{background:#ecfdf3;color:var(--ok);border:1px solid #abefc6}
    .state.pending{background:#fffaeb;color:#93370d;border:1px solid #fedf89}
    .empty{color:var(--muted);font-size:14px;padding:14px;border:1px dashed var(--line);border-radius:8px;margin:6px 0 0}
    .mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
    button.small-button{padding:5px 14px;font-size:13px}
    .pim-foot{margin:22px 0 0}
    .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    @media (max-width:760px){.pim-card{grid-template-columns:1fr}.pim-card-side{border-left:none;padding-left:0}}
    @media (max-width:480px){.card{padding:28px 22px;border-radius:0;margin:0}}
    """
}
