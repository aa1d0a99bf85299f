export { DiagnosticFilter, RequestExpectation, Traffic } from './traffic';
