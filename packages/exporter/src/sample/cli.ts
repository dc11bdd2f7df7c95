import { SampleExporter } from './sample-exporter';

void new SampleExporter().run();
