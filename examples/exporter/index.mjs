// A tiny custom exporter: disk space of some paths, read at scrape time.
//
//   pnpm start                                  # http://localhost:9101/metrics
//   pnpm start -H 127.0.0.1 -p 9200 --path / --path /tmp -L debug
//   DISK_PATH="/ /var" DISK_LOG_FORMAT=json pnpm start
//   pnpm start --help                           # every option with its env var
import { statfs } from 'node:fs/promises';
import { ExporterScript } from '@promkit/exporter';

class DiskExporter extends ExporterScript {
  name = 'disk-exporter';
  version = '0.0.0';
  description = 'Free and total disk space of the watched paths.';
  defaultPort = 9101;
  envPrefix = 'DISK';

  options() {
    return [
      {
        name: 'path',
        type: 'list',
        default: ['/'],
        valueName: 'dir',
        description: 'path to watch, repeatable',
      },
    ];
  }

  configure(args) {
    this.paths = args.path;
    this.disk = this.createMetrics([
      {
        name: 'disk_free_bytes',
        description: 'Bytes available to unprivileged users.',
        type: 'gauge',
        labels: ['path'],
      },
      {
        name: 'disk_size_bytes',
        description: 'Size of the file system.',
        type: 'gauge',
        labels: ['path'],
      },
      {
        name: 'disk_errors_total',
        description: 'Paths that could not be read.',
        type: 'counter',
        labels: ['path'],
      },
    ]);
  }

  async onStartup(app) {
    app.logger.info('watching', { paths: this.paths.join(',') });
  }

  // Runs before every scrape; a failure is logged and the scrape still answered.
  async update() {
    await Promise.all(
      this.paths.map(async (path) => {
        try {
          const stats = await statfs(path);
          this.disk.disk_free_bytes.set({ path }, stats.bavail * stats.bsize);
          this.disk.disk_size_bytes.set({ path }, stats.blocks * stats.bsize);
        } catch (error) {
          this.disk.disk_errors_total.inc({ path });
          this.logger.warning('cannot read path', { path, error: error.message });
        }
      }),
    );
  }
}

void new DiskExporter().run();
