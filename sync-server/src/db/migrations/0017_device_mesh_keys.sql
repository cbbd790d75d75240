-- Up Migration
-- The hall mesh (docs/mesh.md): each gate's own Ed25519 public key, which the
-- server certifies with the sync key so gates of one hall can authenticate
-- each other without the server. Null for a gate that has not registered one.
ALTER TABLE devices ADD COLUMN mesh_public_key text CHECK (mesh_public_key ~ '^[A-Za-z0-9_-]{43}$');

-- Down Migration
ALTER TABLE devices DROP COLUMN mesh_public_key;
