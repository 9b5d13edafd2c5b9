import Crypto
import Vapor

/// The one stylesheet, compiled into the binary so the server runs from any folder.
/// Phone first: a single column that widens on larger screens; printable.
enum Styles {
    static let css = """
        :root { --ink:#1d2433; --muted:#5b6475; --line:#d9dde5; --bg:#f6f7f9; --card:#fff;
                --brand:#b3261e; --brand-ink:#fff; --ok:#1e7a3c; --warn:#a15c00; --bad:#b3261e; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin:0; font-family: "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
               color:var(--ink); background:var(--bg); line-height:1.55; font-size:16px; }
        a { color:#0b57d0; }
        .skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:4px; }
        header.top { background:var(--brand); color:var(--brand-ink); display:flex; flex-wrap:wrap; gap:8px 16px;
                     align-items:center; padding:10px 14px; }
        header.top a { color:var(--brand-ink); text-decoration:none; }
        .brand strong { font-size:20px; letter-spacing:2px; } .brand .sub { opacity:.8; font-size:13px; }
        details.menu { order:3; width:100%; } details.menu > summary { cursor:pointer; min-height:40px; padding:8px 0;
                       font-weight:600; list-style-position:inside; }
        nav.tabs { display:flex; flex-wrap:wrap; gap:4px; padding-bottom:6px; }
        nav.tabs a { padding:6px 10px; border-radius:6px; background:rgba(255,255,255,.12); }
        nav.tabs a.active { background:#fff; color:var(--brand); }
        .tools { margin-left:auto; display:flex; flex-wrap:wrap; gap:6px 10px; align-items:center; font-size:14px; }
        .tools a.active { text-decoration:underline; font-weight:bold; }
        .tools button { font:inherit; background:transparent; color:inherit; border:1px solid rgba(255,255,255,.6);
                        border-radius:6px; padding:2px 8px; cursor:pointer; }
        main { max-width:1100px; margin:0 auto; padding:14px; }
        footer { color:var(--muted); font-size:13px; text-align:center; padding:20px; }
        h1 { font-size:22px; margin:6px 0 12px; } h2 { font-size:18px; margin:18px 0 8px; }
        .card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px; margin:0 0 14px; }
        .grid-cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(150px,1fr)); gap:10px; }
        .stat { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px; }
        .stat .n { font-size:26px; font-weight:bold; } .stat .l { color:var(--muted); font-size:14px; }
        form.stack label { display:block; margin:10px 0 4px; font-weight:600; }
        form.stack input, form.stack select { width:100%; font:inherit; padding:10px; border:1px solid var(--line);
                         border-radius:8px; background:#fff; }
        form.stack button, .button { margin-top:14px; font:inherit; padding:10px 18px; border:0; border-radius:8px;
                         background:var(--brand); color:#fff; cursor:pointer; text-decoration:none; display:inline-block; }
        form.inline { display:inline; margin:0; }
        .flash-error { background:#fdecea; border:1px solid #f5c2bd; color:var(--bad); padding:10px; border-radius:8px; }
        .flash-ok { background:#e7f4ea; border:1px solid #b7dfc2; color:var(--ok); padding:10px; border-radius:8px; }
        .field-error { color:var(--bad); font-size:14px; margin:4px 0 0; }
        .muted { color:var(--muted); } .mono { font-family:ui-monospace,monospace; font-size:14px; }
        .table-wrap { overflow-x:auto; }
        table { border-collapse:collapse; width:100%; background:#fff; font-size:15px; }
        th, td { border-bottom:1px solid var(--line); padding:8px; text-align:left; vertical-align:top; }
        th { background:#eef0f4; font-weight:600; } td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
        ol.crumbs { list-style:none; padding:0; margin:0 0 10px; display:flex; flex-wrap:wrap; gap:4px; font-size:14px; }
        ol.crumbs li+li::before { content:"›"; margin:0 4px; color:var(--muted); }
        .badge { display:inline-block; font-size:12px; padding:1px 8px; border-radius:10px; background:#eef0f4; }
        .badge.ok { background:#e7f4ea; color:var(--ok); } .badge.bad { background:#fdecea; color:var(--bad); }
        .login { max-width:420px; margin:24px auto; }
        nav.subnav { display:flex; flex-wrap:wrap; gap:6px; margin:0 0 10px; font-size:15px; }
        nav.subnav a { padding:4px 10px; border:1px solid var(--line); border-radius:14px; background:#fff; text-decoration:none; }
        nav.subnav a.active { background:var(--brand); color:#fff; border-color:var(--brand); }
        ul.rows { list-style:none; padding:0; margin:0 0 14px; }
        ul.rows > li { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px; margin:0 0 8px; }
        form.stack fieldset { border:0; padding:0; margin:12px 0 0; } form.stack legend { font-weight:600; padding:0; }
        form.stack textarea { width:100%; font:inherit; padding:10px; border:1px solid var(--line); border-radius:8px; }
        .chips { display:flex; flex-wrap:wrap; gap:8px; margin:6px 0; }
        form.stack label.chip, label.chip { display:inline-flex; align-items:center; gap:6px; margin:0; font-weight:normal;
                      border:1px solid var(--line); border-radius:20px; padding:8px 12px; background:#fff; min-height:44px; }
        label.chip input, label.check input { width:auto; margin:0; }
        form.stack label.check { display:flex; gap:8px; align-items:center; font-weight:normal; min-height:44px; }
        form.stack details { margin:12px 0 0; } form.stack summary { cursor:pointer; font-weight:600; min-height:32px; }
        form.stack button.wide { width:100%; font-size:18px; padding:14px; }
        .actions { display:flex; flex-wrap:wrap; gap:6px; margin-top:8px; align-items:center; }
        .actions select { font:inherit; padding:6px; max-width:100%; }
        button.small, .button.small { font:inherit; font-size:14px; padding:6px 12px; margin:0; border:0; border-radius:6px;
                      background:var(--brand); color:#fff; cursor:pointer; }
        form.inline-fields { display:flex; flex-wrap:wrap; gap:6px 10px; align-items:end; }
        form.inline-fields label { margin:0; } form.inline-fields input, form.inline-fields select { width:auto; }
        form.inline-fields button { margin-top:0; }
        ol.steps { list-style:none; padding:0; margin:0 0 12px; display:flex; flex-wrap:wrap; gap:6px; font-size:14px; counter-reset:step; }
        ol.steps li { counter-increment:step; padding:4px 10px; border-radius:14px; background:#eef0f4; color:var(--muted); }
        ol.steps li::before { content:counter(step) ". "; }
        ol.steps li.current { background:var(--brand); color:#fff; font-weight:600; }
        fieldset.choices { border:0; padding:0; margin:0; min-width:0; } fieldset.choices legend { font-weight:600; padding:0; margin:10px 0 4px; }
        form.stack label.choice { display:flex; gap:10px; align-items:flex-start; font-weight:normal; margin:6px 0; padding:10px;
                         border:1px solid var(--line); border-radius:8px; background:#fff; }
        form.stack label.choice input { width:auto; margin:4px 0 0; flex:none; }
        form.stack input[type=file] { padding:8px; } form.stack input[type=checkbox] { width:auto; }
        form.inline-end { display:inline-flex; flex-wrap:wrap; gap:6px; align-items:center; margin:0; }
        form.inline-end input, form.inline-end button { font:inherit; font-size:14px; padding:4px 8px; border:1px solid var(--line); border-radius:6px; }
        form.inline-end button { background:#fff; cursor:pointer; }
        .hint { font-size:14px; margin:4px 0 0; }
        svg.chart { width:100%; height:auto; max-width:760px; display:block; margin:6px 0; font-family:inherit; }
        svg.chart .ct { font-size:15px; font-weight:600; fill:#1d2433; } svg.chart .ca { font-size:12px; fill:#5b6475; }
        svg.chart .cl { font-size:12px; fill:#1d2433; } svg.chart .cv { font-size:12px; fill:#1d2433; }
        svg.chart .hl { font-size:12px; } svg.chart .hv { font-size:13px; font-weight:600; }
        .tiles { display:grid; grid-template-columns:1fr 1fr; gap:10px; margin:0 0 12px; }
        a.tile { display:block; padding:14px 12px; border-radius:10px; background:#e8f0fe; text-decoration:none; min-height:76px; }
        a.tile strong { display:block; font-size:21px; color:#0b57d0; margin-bottom:2px; } a.tile span { font-size:13px; }
        ul.home-items li a { display:block; padding:6px 0; min-height:44px; text-decoration:none; color:inherit; }
        ul.home-items li a strong { color:#0b57d0; }
        ul.home-items li form { margin:0; }
        button.link-button { display:block; width:100%; min-height:44px; padding:6px 0; border:0; background:none; color:inherit;
            font:inherit; text-align:left; cursor:pointer; }
        li.note.unread button.link-button strong { color:#0b57d0; } li.note.unread .badge { background:#fdecea; color:var(--bad); }
        li.note.read button.link-button strong { font-weight:normal; }
        section.panel { padding:10px 12px; margin:0 0 10px; } section.panel h3 { margin:0 0 6px; font-size:17px; }
        section.panel h3 a { color:inherit; text-decoration:none; } section.panel .note { font-size:13px; margin:4px 0; }
        section.panel .figures { grid-template-columns:repeat(auto-fill,minmax(100px,1fr)); gap:6px; margin-bottom:6px; }
        section.panel .stat { padding:6px 8px; min-width:0; overflow-wrap:anywhere; }
        section.panel .stat .n { font-size:19px; line-height:1.3; } section.panel .stat .n a { text-decoration:none; }
        section.panel .stat .l { font-size:13px; line-height:1.35; }
        p.detail { margin:4px 0 0; } p.detail a { display:inline-block; min-height:32px; padding:4px 0; }
        table.data caption { text-align:left; font-weight:600; padding:6px 0; } .report { margin:10px 0 16px; }
        .chart-wrap { display:none; }
        @media (min-width: 760px) { .chart-wrap { display:block; } section.panel .stat .n { font-size:22px; }
            section.panel .figures { grid-template-columns:repeat(auto-fill,minmax(150px,1fr)); } }
        @media (min-width: 760px) { details.menu { order:0; width:auto; } h1 { font-size:26px; } nav.tabs { padding:0; } }
        @supports selector(::details-content) {
            @media (min-width: 760px) { details.menu > summary { display:none; }
                details.menu::details-content { content-visibility:visible; display:contents; } } }
        article.letter { font-size:18px; } article.letter h2 { font-size:1.5em; } article.letter .letter-code strong { font-size:26px; letter-spacing:2px; }
        article.letter .letter-qr svg { width:180px; height:auto; }
        @media print { .no-print, a.skip { display:none; } article.letter { break-after:page; font-size:22px; }
                       article.letter .letter-code strong { font-size:32px; } }
        body.large { --ink:#000; --muted:#1a1a1a; --line:#444; --bg:#fff; font-size:20px; line-height:1.7; }
        body.large h1 { font-size:28px; } body.large h2 { font-size:24px; } body.large a { color:#0033aa; text-decoration:underline; }
        body.large .hint, body.large .muted, body.large .stat .l, body.large footer, body.large .tools,
        body.large a.tile span, body.large .brand .sub { font-size:18px; }
        body.large .card, body.large .stat { border-width:2px; } body.large .badge { font-size:17px; background:#000; color:#fff; }
        body.large button, body.large input, body.large select, body.large textarea { font-size:20px; min-height:48px; }
        body.large a.tile { background:#fff; border:2px solid #0033aa; } body.large a.tile strong { font-size:26px; color:#0033aa; }
        body.large header.top a { color:var(--brand-ink); text-decoration:none; } body.large nav.tabs a { font-size:19px; padding:8px 12px; }
        body.large nav.tabs a.active { color:var(--brand); }
        @media print { header.top, footer, form.inline { display:none; } body { background:#fff; } .card { border:0; }
                       nav.subnav, a.csv, a.print, details#catalogues { display:none; } section.panel, .report { break-inside:avoid; }
                       svg.chart { max-width:100%; } .chart-wrap { display:block; } a { color:inherit; text-decoration:none; } }
        """

    /// Versioned by content so it can be cached for a year.
    static let path: String = {
        let digest = SHA256.hash(data: Data(css.utf8))
        let hex = digest.prefix(6).hexString
        return SiteURL.assets(.value("app-\(hex).css")).path
    }()

    static func response() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        return Response(status: .ok, headers: headers, body: .init(string: css))
    }
}
