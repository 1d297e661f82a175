// class-transformer ships this module's code (cjs/) apart from its types (types/); @nestjs/mapped-types reads it too.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
