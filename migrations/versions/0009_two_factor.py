"""password changes, two-factor sign-in, the diary version for cached trends

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-24 09:27:39.048463

"""
from alembic import op
import sqlalchemy as sa

import diary.database


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', diary.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('diary_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', diary.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    # Drop in place: recreating users on SQLite would cascade-delete everything that is theirs.
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('diary_version')

    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))

    op.drop_table('recovery_codes')
