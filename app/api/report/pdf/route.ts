// GET /api/report/pdf — the printable posture report (/report, same `period` and `clusters`) rendered to
// PDF by headless Chromium with the caller's session, downloaded as an attachment. `paper`: a4 | letter.
import { z } from 'zod';
import { postureRequestSchema } from '@/lib/api/posture';
import { requireSession } from '@/lib/server/auth/require-session';
import { errorResponse } from '@/lib/server/errors';
import { renderReportPdf } from '@/lib/server/overview/render-report-pdf';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const pdfRequestSchema = postureRequestSchema.extend({ paper: z.enum(['a4', 'letter']).default('a4') });

export async function GET(request: Request): Promise<Response> {
  try {
    await requireSession();
    const url = new URL(request.url);
    const query = pdfRequestSchema.parse(Object.fromEntries(url.searchParams));
    // The page is fetched over loopback from this very server (PORT under `next start`), never via a
    // host name taken from the request.
    const port = process.env.PORT ?? url.port;
    const search = new URLSearchParams({ period: query.period, ...(query.clusters.length > 0 ? { clusters: query.clusters.join(',') } : {}) });
    const cookies = (request.headers.get('cookie') ?? '')
      .split(';')
      .map((pair) => pair.trim())
      .filter((pair) => pair.includes('='))
      .map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1) }));
    const pdf = await renderReportPdf({ reportUrl: `http://127.0.0.1:${port}/report?${search.toString()}`, cookies, paper: query.paper === 'letter' ? 'Letter' : 'A4' });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(new Uint8Array(pdf), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="flowlens-posture-${query.period}-${day}.pdf"`,
        'content-length': String(pdf.length),
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
