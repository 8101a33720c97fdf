/** The landing page shown at / when the web console is not built (web/dist missing): what this is and where the API docs are. No CDN. */
export function landingPage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CityOps 一网统管</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#0b1a2b;color:#e6eef7}
main{max-width:760px;margin:8vh auto;padding:0 24px}
h1{font-size:2.2rem;margin:0 0 .3em}a{color:#6cc3ff}li{margin:.4em 0}
.card{background:#12263d;border-radius:10px;padding:18px 22px;margin:18px 0}
code{background:#0b1a2b;padding:2px 6px;border-radius:4px}
</style></head>
<body><main>
<h1>CityOps 城市运行一网统管</h1>
<p>统一受理、网格定位、按事项责任清单派遣、时限监督、核查结案。<br>Unified intake, grid location, routing by the responsibility list, time limits, on-site check and closure.</p>
<div class="card">
<ul>
<li><a href="/docs">接口文档 API documentation (OpenAPI)</a></li>
<li><a href="/api/v1/openapi.json">OpenAPI JSON</a></li>
<li><a href="/healthz">健康检查 Health check</a></li>
</ul>
<p>演示账号见数据目录下的 <code>demo-credentials.txt</code>。Demo accounts: see <code>demo-credentials.txt</code> in the data directory.</p>
</div>
<p>控制台将在后续版本提供。The web console comes in a later release; everything is available through the REST API now.</p>
</main></body></html>`;
}
