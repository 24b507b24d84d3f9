import { PageHeader } from '../components/page-header'

export function ExceptionReport() {
  return <PageHeader title="Users exceptions" />
}
